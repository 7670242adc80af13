"""What the portal pages show: the person's data by purpose, consents and requests (reads)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.consent import service as consents
from plugin.extensions import db
from plugin.models import DataSubjectRequest
from plugin.rights import holdings
from plugin.rights.requests import serialise
from plugin.subjects.groups import group_ids


def my_data(subject_id: str) -> dict[str, Any]:
    """Identifiers and cases grouped by purpose, values decrypted (the export's content)."""
    held = holdings.gather(subject_id)
    purposes = current_app.extensions["datavagt.manifest"].purposes
    groups: dict[str, dict[str, Any]] = {}
    for ticket in held["tickets"]:
        if ticket["deleted_at"]:
            continue
        code = ticket["purpose"] or ""
        spec = purposes.get(code, {})
        group = groups.setdefault(
            code,
            {
                "code": code,
                "name": spec.get("name") or code,
                "legal_basis": spec.get("legal_basis"),
                "rule": spec.get("retention") or {},
                "tickets": [],
            },
        )
        ticket["categories"] = sorted({f["category"] for f in ticket["findings"]})
        group["tickets"].append(ticket)
    return {
        "identifiers": held["identifiers"],
        "purposes": sorted(groups.values(), key=lambda g: g["name"]),
    }


def my_consents(subject_id: str, lang: str) -> list[dict[str, Any]]:
    """Every consent with its exact wording; withdrawn purposes offer the current wording."""
    rows = [consents.to_dict(c) for sid in group_ids(subject_id) for c in consents.consents_of(sid)]
    rows.sort(key=lambda c: c["given_at"], reverse=True)
    purposes = current_app.extensions["datavagt.manifest"].purposes
    for row in rows:
        row["purpose_name"] = purposes.get(row["purpose"], {}).get("name") or row["purpose"]
        # What the withdrawal did, in the page's language (issue 19).
        row["withdrawal_text"] = (row.get("withdrawal_receipt_text") or {}).get(lang)
    active = {c["purpose"] for c in rows if c["active"]}
    offered: set[str] = set()
    for row in rows:
        row["offer"] = None
        if row["active"] or row["purpose"] in active or row["purpose"] in offered:
            continue
        offered.add(row["purpose"])
        text = consents.current_text(row["purpose"], lang) or consents.current_text(
            row["purpose"], "en" if lang == "da" else "da"
        )
        if text is not None:
            row["offer"] = {"id": text.id, "text": text.text, "version": text.version}
    return rows


def my_erasure(subject_id: str, lang: str) -> dict[str, Any] | None:
    """What an erasure would delete and keep (why, until when), as the console shows it."""
    try:
        from plugin.erasure.views import truth
    except ImportError:  # the erasure capability is not installed
        return None
    return truth(subject_id, lang)


def my_requests(subject_id: str) -> list[dict[str, Any]]:
    """The person's requests, newest first, with status and deadline."""
    rows = db.session.scalars(
        sa.select(DataSubjectRequest)
        .where(DataSubjectRequest.subject_id.in_(group_ids(subject_id)))
        .order_by(DataSubjectRequest.created_at.desc())
    )
    return [serialise(r) for r in rows]
