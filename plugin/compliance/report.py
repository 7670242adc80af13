"""``report()``: tickets that break Art. 9 or outlive a withdrawn consent, counted per purpose."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.messages.outbound import plain_replies_report
from plugin.models import Consent, Finding, Ticket
from plugin.models.types import utcnow

DEFAULT_LIMIT = 200
NO_PURPOSE = "(none)"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def special_without_basis(limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Held tickets with special-category data, no declared Art. 9 basis nor explicit consent."""
    manifest = current_app.extensions["datavagt.manifest"]
    declared = set((manifest.data.get("compliance") or {}).get("special_category_bases") or {})
    explicit = (
        sa.select(Consent.id)
        .where(
            Consent.subject_id == Ticket.subject_id,
            Consent.purpose == Ticket.purpose,
            Consent.explicit.is_(True),
            Consent.withdrawn_at.is_(None),
        )
        .exists()
    )
    query = (
        sa.select(
            Ticket.vendor,
            Ticket.external_id,
            Ticket.purpose,
            Ticket.subject_id,
            sa.func.count(Finding.id).label("findings"),
        )
        .join(Finding, Finding.ticket_id == Ticket.id)
        .where(Finding.category == "special", Ticket.deleted_at.is_(None), ~explicit)
        .group_by(Ticket.id, Ticket.vendor, Ticket.external_id, Ticket.purpose, Ticket.subject_id)
        .order_by(Ticket.id)
    )
    if declared:
        query = query.where(sa.or_(Ticket.purpose.is_(None), Ticket.purpose.not_in(declared)))
    rows = db.session.execute(query).all()
    by_purpose = Counter(row.purpose or NO_PURPOSE for row in rows)
    return {
        "total": len(rows),
        "by_purpose": dict(sorted(by_purpose.items())),
        "tickets": [
            {
                "vendor": row.vendor,
                "external_id": row.external_id,
                "purpose": row.purpose,
                "subject_id": row.subject_id,
                "findings": int(row.findings),
            }
            for row in rows[:limit]
        ],
    }


def _consent_states(purposes: list[str]) -> dict[tuple[str, str], tuple[int, datetime | None]]:
    """(subject, purpose) -> (active consents, latest withdrawal)."""
    active = sa.func.sum(sa.case((Consent.withdrawn_at.is_(None), 1), else_=0))
    rows = db.session.execute(
        sa.select(Consent.subject_id, Consent.purpose, active, sa.func.max(Consent.withdrawn_at))
        .where(Consent.purpose.in_(purposes))
        .group_by(Consent.subject_id, Consent.purpose)
    ).all()
    return {(r[0], r[1]): (int(r[2] or 0), r[3]) for r in rows}


def after_withdrawal(limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Held tickets of consent-based purposes whose consent was withdrawn and not given again.

    Flagged when the ticket saw activity after the withdrawal, or when it is still held after
    the purpose's retention from the withdrawal ran out.
    """
    purposes = current_app.extensions["datavagt.manifest"].purposes
    consent_based = sorted(
        code for code, spec in purposes.items() if spec["legal_basis"] == "consent"
    )
    if not consent_based:
        return {"total": 0, "by_purpose": {}, "tickets": []}
    states = _consent_states(consent_based)
    tickets = db.session.scalars(
        sa.select(Ticket)
        .where(
            Ticket.purpose.in_(consent_based),
            Ticket.deleted_at.is_(None),
            Ticket.subject_id.is_not(None),
        )
        .order_by(Ticket.id)
    )
    now = utcnow()
    flagged: list[dict[str, Any]] = []
    for ticket in tickets:
        active, withdrawn = states.get((ticket.subject_id or "", ticket.purpose or ""), (0, None))
        if active or withdrawn is None:
            continue
        retention = purposes[ticket.purpose or ""]["retention"]
        activity = max(d for d in (ticket.ingested_at, ticket.last_activity_at) if d is not None)
        reasons = []
        if activity > withdrawn:
            reasons.append("activity_after_withdrawal")
        if retention["start"] == "consent_withdrawn" and now > withdrawn + timedelta(
            days=retention["days"]
        ):
            reasons.append("kept_past_retention")
        if reasons:
            flagged.append(
                {
                    "vendor": ticket.vendor,
                    "external_id": ticket.external_id,
                    "purpose": ticket.purpose,
                    "subject_id": ticket.subject_id,
                    "withdrawn_at": _iso(withdrawn),
                    "last_activity_at": _iso(activity),
                    "reasons": reasons,
                }
            )
    by_purpose = Counter(item["purpose"] for item in flagged)
    return {
        "total": len(flagged),
        "by_purpose": dict(sorted(by_purpose.items())),
        "tickets": flagged[:limit],
    }


def report(limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """The checks with their counts (admin console and ROPA reuse this)."""
    return {
        "generated_at": utcnow().isoformat(),
        "special_without_basis": special_without_basis(limit),
        "processing_after_withdrawal": after_withdrawal(limit),
        # Agents' replies that carried personal data by plain e-mail (plugin.messages).
        "plain_email_replies": plain_replies_report(limit),
    }
