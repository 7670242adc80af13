"""Build the Art. 30 record: manifest declarations plus live counts from the database."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin.extensions import db
from plugin.manifest import Manifest
from plugin.models import DataSubject, Finding, Ticket
from plugin.models.types import utcnow

# Art. 30(1)(c): the categories of data subjects a helpdesk processes.
SUBJECT_CATEGORIES = ("Customers and prospective customers who contact customer service",)


def _live_counts() -> dict[str, Any]:
    subjects = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DataSubject)
        .where(DataSubject.merged_into_id.is_(None), DataSubject.erased_at.is_(None))
    )
    tickets = db.session.execute(
        sa.select(Ticket.vendor, sa.func.count())
        .where(Ticket.deleted_at.is_(None))
        .group_by(Ticket.vendor)
    )
    per_purpose = db.session.execute(
        sa.select(Ticket.purpose, sa.func.count())
        .where(Ticket.deleted_at.is_(None))
        .group_by(Ticket.purpose)
    )
    findings = db.session.execute(
        sa.select(Finding.category, sa.func.count()).group_by(Finding.category)
    )
    over = db.session.scalar(
        sa.select(sa.func.count()).select_from(Finding).where(Finding.over_collection.is_(True))
    )
    return {
        "subjects": int(subjects or 0),
        "tickets_per_vendor": {v: int(n) for v, n in tickets},
        "tickets_per_purpose": {(p or "unassigned"): int(n) for p, n in per_purpose},
        "findings_per_category": {c: int(n) for c, n in findings},
        "over_collection_findings": int(over or 0),
    }


def _activity(code: str, spec: dict[str, Any], manifest: Manifest, live: dict) -> dict[str, Any]:
    rule = spec["retention"]
    vendors = list(manifest.data["depends"])
    recipients = manifest.data.get("recipients", {})
    return {
        "code": code,
        "name": spec["name"],
        "legal_basis": spec["legal_basis"],
        "data_subjects": list(SUBJECT_CATEGORIES),
        "data_categories": [
            {"code": c, "description": manifest.data["categories"].get(c, c)}
            for c in spec["allowed_categories"]
        ],
        "recipients": [recipients[v]["name"] for v in vendors if v in recipients],
        "retention": {"days": rule["days"], "from": rule["start"], "action": rule["action"]},
        "tickets": live["tickets_per_purpose"].get(code, 0),
    }


def build_ropa(manifest: Manifest) -> dict[str, Any]:
    """The record as a JSON-ready mapping: one activity per manifest purpose."""
    live = _live_counts()
    recipients = manifest.data.get("recipients", {})
    return {
        "title": "Record of processing activities (GDPR Art. 30)",
        "generated_at": utcnow().isoformat(),
        "controller": dict(manifest.data["controller"]),
        "system": {"name": manifest.data["name"], "version": manifest.data["version"]},
        "activities": [
            _activity(code, spec, manifest, live) for code, spec in manifest.purposes.items()
        ],
        "data_categories": dict(manifest.data["categories"]),
        "recipients": [
            {"vendor": vendor, **spec, "in_use": vendor in live["tickets_per_vendor"]}
            for vendor, spec in recipients.items()
        ],
        "transfers": [
            {
                "recipient": spec["name"],
                "country": spec["country"],
                "mechanism": spec["transfer_mechanism"],
            }
            for spec in recipients.values()
        ],
        "security_measures": list(manifest.data.get("security_measures", [])),
        "live": live,
    }
