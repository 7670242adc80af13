"""Agents' outgoing replies: check a draft for personal data; record replies sent in clear."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin.extensions import db
from plugin.ingest.fields import CONVERSATION_PREFIX
from plugin.models import Finding, PlainReply, Ticket
from plugin.vendors.contract import VendorTicket

SECURE = "send_securely"
PLAIN_OK = "plain_ok"
_ADVICE = {
    SECURE: "The draft contains personal data: send it as a secure message instead of e-mail.",
    PLAIN_OK: "No personal data found; a plain e-mail reply is fine.",
}


def check(text: str, lang: str = "auto") -> dict[str, Any]:
    """Personal data in a draft reply: types, categories and offsets, never the values."""
    from plugin.ingest.pipeline import get_classifier  # the app's configured classifier

    found = get_classifier().classify(text, lang=lang)
    categories = sorted({f.category for f in found})
    advice = SECURE if found else PLAIN_OK
    return {
        "findings": [f.to_dict() for f in found],
        "categories": categories,
        "types": sorted({f.type for f in found}),
        "contains_personal_data": bool(found),
        "special_category": "special" in categories,
        "recommendation": advice,
        "message": _ADVICE[advice],
    }


def record_plain_replies(ticket: Ticket, vendor_ticket: VendorTicket) -> int:
    """Note every public agent reply with findings that the vendor mailed in clear (no values).

    Called by ingestion after the ticket's findings are stored; a reply already noted is
    left as it is. Returns how many new replies were noted.
    """
    outgoing = {
        CONVERSATION_PREFIX + c.external_id: c
        for c in vendor_ticket.conversations
        if not c.incoming and not c.private
    }
    if not outgoing:
        return 0
    rows = db.session.scalars(
        sa.select(Finding).where(Finding.ticket_id == ticket.id, Finding.field.in_(list(outgoing)))
    ).all()
    known = set(
        db.session.scalars(
            sa.select(PlainReply.conversation_id).where(PlainReply.ticket_id == ticket.id)
        )
    )
    added = 0
    for name, convo in outgoing.items():
        hits = [r for r in rows if r.field == name]
        if not hits or convo.external_id in known:
            continue
        db.session.add(
            PlainReply(
                ticket_id=ticket.id,
                conversation_id=convo.external_id,
                sent_at=convo.created_at,
                categories=sorted({r.category for r in hits}),
                types=sorted({r.type for r in hits}),
                findings=len(hits),
            )
        )
        added += 1
    db.session.flush()
    return added


def plain_replies_report(limit: int = 200) -> dict[str, Any]:
    """Compliance section: replies that carried personal data by plain e-mail, per category."""
    rows = db.session.execute(
        sa.select(PlainReply, Ticket.vendor, Ticket.external_id, Ticket.purpose)
        .join(Ticket, Ticket.id == PlainReply.ticket_id)
        .order_by(PlainReply.recorded_at.desc(), PlainReply.id.desc())
    ).all()
    by_category: dict[str, int] = {}
    for row in rows:
        for category in row[0].categories:
            by_category[category] = by_category.get(category, 0) + 1
    return {
        "total": len(rows),
        "by_category": dict(sorted(by_category.items())),
        "replies": [
            {
                "vendor": vendor,
                "external_id": external_id,
                "purpose": purpose,
                "conversation_id": reply.conversation_id,
                "sent_at": reply.sent_at.isoformat() if reply.sent_at else None,
                "categories": list(reply.categories),
                "types": list(reply.types),
                "findings": reply.findings,
            }
            for reply, vendor, external_id, purpose in rows[:limit]
        ],
    }
