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
# What a reply to a person may not carry by plain e-mail (issue 19): a CPR number, a payment
# card, an IBAN, or Art. 9 special-category data. A name is never a reason: a reply greets
# its recipient ("Hej Mette", "Dear John"), so names are not reported at all.
FLAGGED_TYPES = frozenset({"cpr", "payment_card", "iban"})
NEVER_REPORTED = frozenset({"person_name"})
MODES = ("warn", "confirm", "block")
DEFAULT_MODE = "confirm"
SETTING = "outbound_mode"
SECURE_OFFER = "secure_message"

_WHAT = {
    "da": {
        "cpr": "et CPR-nummer",
        "payment_card": "et betalingskortnummer",
        "iban": "et IBAN-kontonummer",
        "special": "følsomme oplysninger (art. 9, fx helbred)",
    },
    "en": {
        "cpr": "a CPR number",
        "payment_card": "a payment card number",
        "iban": "an IBAN account number",
        "special": "sensitive data (Art. 9, such as health)",
    },
}
_SAY = {
    "da": {
        "ok": "Svaret indeholder hverken CPR-nummer, kortnummer, IBAN eller følsomme "
        "oplysninger. Det kan sendes som almindelig e-mail.",
        "warn": "Svaret indeholder {what}. Overvej at sende det som sikker besked på Mine "
        "sider i stedet for e-mail.",
        "confirm": "Svaret indeholder {what}. Send det som sikker besked på Mine sider, eller "
        "bekræft, at det skal sendes som almindelig e-mail.",
        "block": "Svaret indeholder {what} og må ikke sendes som almindelig e-mail. Send det "
        "som sikker besked på Mine sider.",
        "and": "og",
    },
    "en": {
        "ok": "The reply holds no CPR number, card number, IBAN or sensitive data. It can be "
        "sent as a plain e-mail.",
        "warn": "The reply holds {what}. Consider sending it as a secure message on My pages "
        "instead of e-mail.",
        "confirm": "The reply holds {what}. Send it as a secure message on My pages, or "
        "confirm that it is to go as a plain e-mail.",
        "block": "The reply holds {what} and may not be sent as a plain e-mail. Send it as a "
        "secure message on My pages.",
        "and": "and",
    },
}


def outbound_mode() -> str:
    """The configured mode (``outbound_mode``: warn, confirm or block)."""
    from flask import current_app

    mode = str(current_app.extensions["datavagt.settings"].extra.get(SETTING, DEFAULT_MODE))
    return mode if mode in MODES else DEFAULT_MODE


def _reasons(found: list[Any]) -> list[str]:
    """The flagged kinds in a fixed order: CPR, card, IBAN, then special categories."""
    kinds = {f.type for f in found if f.type in FLAGGED_TYPES}
    if any(f.category == "special" for f in found):
        kinds.add("special")
    return [k for k in ("cpr", "payment_card", "iban", "special") if k in kinds]


def _sentence(decision: str, reasons: list[str], lang: str) -> str:
    say = _SAY[lang]
    if decision == "ok":
        return say["ok"]
    parts = [_WHAT[lang][r] for r in reasons]
    what = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {say['and']} {parts[-1]}"
    return say[decision].format(what=what)


def check(text: str, lang: str = "auto", mode: str | None = None) -> dict[str, Any]:
    """Personal data in a draft reply and what the policy says: never the values.

    ``decision`` is ``ok`` when nothing flagged is found, else the configured mode (warn,
    confirm, block); ``messages`` says it in Danish and English; a flagged draft is offered
    as a secure message instead.
    """
    from plugin.ingest.pipeline import get_classifier  # the app's configured classifier

    found = [f for f in get_classifier().classify(text, lang=lang) if f.type not in NEVER_REPORTED]
    categories = sorted({f.category for f in found})
    reasons = _reasons(found)
    decision = (mode or outbound_mode()) if reasons else "ok"
    advice = SECURE if reasons else PLAIN_OK
    return {
        "findings": [f.to_dict() for f in found],
        "categories": categories,
        "types": sorted({f.type for f in found}),
        "contains_personal_data": bool(found),
        "special_category": "special" in categories,
        "flagged": reasons,
        "decision": decision,
        "mode": mode or outbound_mode(),
        "offer": SECURE_OFFER if reasons else None,
        "recommendation": advice,
        "message": _ADVICE[advice],
        "messages": {ui: _sentence(decision, reasons, ui) for ui in ("da", "en")},
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
