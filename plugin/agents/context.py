"""What an agent sees beside the data: purpose, legal basis, retention, consent, warnings."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import Consent, Finding, Purpose, Ticket


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def consent_status(subject_id: str | None, purpose: str | None) -> dict[str, Any]:
    """The newest consent of the subject for the purpose: given, withdrawn or none."""
    if subject_id is None or purpose is None:
        return {"status": "none"}
    row = db.session.scalars(
        sa.select(Consent)
        .where(Consent.subject_id == subject_id, Consent.purpose == purpose)
        .order_by(Consent.given_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return {"status": "none"}
    return {
        "status": "withdrawn" if row.withdrawn_at else "given",
        "explicit": bool(row.explicit),
        "given_at": _iso(row.given_at),
        "withdrawn_at": _iso(row.withdrawn_at),
    }


def ticket_context(
    ticket: Ticket, findings: list[Finding], *, purpose: Purpose | None | bool = False
) -> dict[str, Any]:
    """Purpose, legal basis, retention deadline, consent and warnings for one ticket.

    ``purpose``: the ticket's Purpose row when the caller loaded it already (None: none).
    """
    if purpose is False:
        purpose = db.session.get(Purpose, ticket.purpose) if ticket.purpose else None
    allowed = set(purpose.allowed_categories) if purpose else set()
    categories = sorted({f.category for f in findings})
    # Over-collection: flagged at ingestion, or a category the purpose does not need.
    over = sorted(
        {
            f.category
            for f in findings
            if f.over_collection or (purpose and f.category not in allowed)
        }
    )
    consent = consent_status(ticket.subject_id, ticket.purpose)
    warnings: list[dict[str, Any]] = []
    if "special" in categories:
        warnings.append(
            {"code": "special_category", "explicit_consent": bool(consent.get("explicit"))}
        )
    if over:
        warnings.append({"code": "over_collection", "categories": over})
    if ticket.legal_hold:
        warnings.append({"code": "legal_hold"})
    if ticket.unwritable_fields:
        warnings.append({"code": "unwritable_fields", "fields": list(ticket.unwritable_fields)})
    return {
        "purpose": (
            {"code": purpose.code, "name": purpose.name, "legal_basis": purpose.legal_basis}
            if purpose
            else None
        ),
        "retention": {
            "due_at": _iso(ticket.retention_due_at),
            "rule": dict(purpose.retention) if purpose else None,
        },
        "consent": consent,
        "categories": categories,
        "warnings": warnings,
    }
