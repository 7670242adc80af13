"""Per-subject and per-ticket inventory dicts (used by agents, rights and portal views)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.models import Consent, DataSubject, Finding, Ticket


def _purpose_spec(code: str | None) -> dict[str, Any]:
    purposes = current_app.extensions["datavagt.manifest"].purposes
    return dict(purposes.get(code or "", {}))


def has_explicit_consent(subject_id: str | None, purpose: str | None) -> bool:
    """Explicit (Art. 9(2)(a)) consent for this purpose, given and not withdrawn."""
    if not subject_id or not purpose:
        return False
    found = db.session.scalar(
        sa.select(Consent.id)
        .where(
            Consent.subject_id == subject_id,
            Consent.purpose == purpose,
            Consent.explicit.is_(True),
            Consent.withdrawn_at.is_(None),
        )
        .limit(1)
    )
    return found is not None


def art9_basis(subject_id: str | None, purpose: str | None) -> str | None:
    """The Art. 9(2) condition: one the manifest declares for the purpose, or explicit consent."""
    compliance = current_app.extensions["datavagt.manifest"].data.get("compliance") or {}
    declared = (compliance.get("special_category_bases") or {}).get(purpose or "")
    if declared:
        return str(declared)
    return "explicit_consent" if has_explicit_consent(subject_id, purpose) else None


def _finding(row: Finding, allowed: set[str], basis: str | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "field": row.field,
        "type": row.type,
        "category": row.category,
        "masked": row.masked,
        "written_back": bool(row.written_back),
        "over_collection": row.category not in allowed,
        "special_without_basis": row.category == "special" and basis is None,
        "detector": row.detector,
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def inventory_for_ticket(ticket: Ticket) -> dict[str, Any]:
    """What the ticket holds, why, on which basis, until when, and what is flagged."""
    spec = _purpose_spec(ticket.purpose)
    allowed = set(spec.get("allowed_categories", []))
    basis = art9_basis(ticket.subject_id, ticket.purpose)
    rows = db.session.scalars(
        sa.select(Finding).where(Finding.ticket_id == ticket.id).order_by(Finding.id)
    ).all()
    findings = [_finding(r, allowed, basis) for r in rows]
    categories = sorted({f["category"] for f in findings})
    retention = spec.get("retention") or {}
    return {
        "ticket": {"id": ticket.id, "vendor": ticket.vendor, "external_id": ticket.external_id},
        "subject_id": ticket.subject_id,
        "status": ticket.status,
        "purpose": ticket.purpose,
        "purpose_name": spec.get("name"),
        "legal_basis": spec.get("legal_basis"),
        "art9_basis": basis if "special" in categories else None,
        "categories": categories,
        "types": sorted({f["type"] for f in findings}),
        "over_collection": sorted({f["category"] for f in findings if f["over_collection"]}),
        "special_without_basis": any(f["special_without_basis"] for f in findings),
        "unwritable_fields": list(ticket.unwritable_fields or []),
        "retention": {
            "due_at": _iso(ticket.retention_due_at),
            "days": retention.get("days"),
            "from": retention.get("start"),
            "action": retention.get("action"),
            "shortened": bool(ticket.unwritable_fields),
            "legal_hold": bool(ticket.legal_hold),
        },
        "created_at": _iso(ticket.vendor_created_at),
        "closed_at": _iso(ticket.closed_at),
        "ingested_at": _iso(ticket.ingested_at),
        "deleted_at": _iso(ticket.deleted_at),
        "findings": findings,
    }


def inventory_for_subject(subject_id: str) -> dict[str, Any]:
    """Every ticket of the subject with its inventory, and the totals across them."""
    subject = db.session.get(DataSubject, subject_id)
    if subject is None:
        raise LookupError("no such subject")
    tickets = db.session.scalars(
        sa.select(Ticket).where(Ticket.subject_id == subject_id).order_by(Ticket.id)
    ).all()
    items = [inventory_for_ticket(t) for t in tickets]
    return {
        "subject_id": subject.id,
        "created_at": _iso(subject.created_at),
        "legal_hold": bool(subject.legal_hold),
        "erased_at": _iso(subject.erased_at),
        "identifiers": [
            {"kind": kind, "vendor": vendor or None}
            for kind, vendor in sorted({(i.kind, i.vendor) for i in subject.identifiers})
        ],
        "categories": sorted({c for item in items for c in item["categories"]}),
        "purposes": sorted({item["purpose"] for item in items if item["purpose"]}),
        "over_collection": sorted({c for item in items for c in item["over_collection"]}),
        "special_without_basis": any(item["special_without_basis"] for item in items),
        "tickets": items,
    }
