"""What an agent sees beside the data: purpose, legal basis, retention, consent, warnings."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin.access.restriction import (
    PURPOSE_PARAM,
    SUBJECT_PARAM,
    is_restricted,
    restricted_clause,
)
from plugin.extensions import db
from plugin.models import Consent, Finding, Purpose, Ticket


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _consent(row: Any) -> dict[str, Any]:
    if row is None or row.given_at is None:
        return {"status": "none"}
    return {
        "status": "withdrawn" if row.withdrawn_at else "given",
        "explicit": bool(row.explicit),
        "given_at": _iso(row.given_at),
        "withdrawn_at": _iso(row.withdrawn_at),
    }


_CONSENT_SUBJECT = "consent_subject"
_CONSENT_PURPOSE = "consent_purpose"
# The newest consent of a subject for a purpose (both bound); built once, run with values:
# building a statement per call costs more CPU than running it (bench/agent_view.py).
_LATEST_CONSENT = (
    sa.select(Consent.given_at, Consent.withdrawn_at, Consent.explicit)
    .where(
        Consent.subject_id == sa.bindparam(_CONSENT_SUBJECT, type_=sa.String(36)),
        Consent.purpose == sa.bindparam(_CONSENT_PURPOSE, type_=sa.String(64)),
    )
    .order_by(Consent.given_at.desc())
    .limit(1)
    .subquery("latest_consent")
)
_CONSENT = sa.select(_LATEST_CONSENT)
_ONE = sa.select(sa.literal(1).label("one")).subquery("one")
# Restriction (merges followed) and consent in one round trip: the agent view's second read.
_RESTRICTION_AND_CONSENT = (
    sa.select(
        restricted_clause(True).label("restricted"),
        _LATEST_CONSENT.c.given_at,
        _LATEST_CONSENT.c.withdrawn_at,
        _LATEST_CONSENT.c.explicit,
    )
    .select_from(_ONE)
    .outerjoin(_LATEST_CONSENT, sa.true())
)


def consent_status(subject_id: str | None, purpose: str | None) -> dict[str, Any]:
    """The newest consent of the subject for the purpose: given, withdrawn or none."""
    if subject_id is None or purpose is None:
        return {"status": "none"}
    params = {_CONSENT_SUBJECT: subject_id, _CONSENT_PURPOSE: purpose}
    return _consent(db.session.execute(_CONSENT, params).first())


def restriction_and_consent(
    subject_id: str | None, purpose: str | None
) -> tuple[bool, dict[str, Any]]:
    """``is_restricted`` and ``consent_status`` of one ticket in ONE query (the agent view)."""
    if subject_id is None or purpose is None:
        return is_restricted(subject_id, purpose), {"status": "none"}
    params = {
        SUBJECT_PARAM: subject_id,
        PURPOSE_PARAM: purpose,
        _CONSENT_SUBJECT: subject_id,
        _CONSENT_PURPOSE: purpose,
    }
    row = db.session.execute(_RESTRICTION_AND_CONSENT, params).one()
    return bool(row.restricted), _consent(row)


def ticket_context(
    ticket: Ticket,
    findings: list[Finding],
    *,
    purpose: Purpose | None | bool = False,
    consent: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Purpose, legal basis, retention deadline, consent and warnings for one ticket.

    ``purpose``: the ticket's Purpose row when the caller loaded it already (None: none);
    ``consent``: its ``consent_status`` when the caller read it already.
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
    if consent is None:
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
