"""Reading secure messages: the person's inbox, a ticket's thread, a request's notes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin import audit
from plugin.agents.tickets import find_ticket
from plugin.auth.guard import Actor
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.messages.service import FIELD
from plugin.models import DataSubjectRequest, SecureMessage, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.subjects.groups import group_ids
from plugin.vault import VaultError, get_vault


def _body(message: SecureMessage) -> str | None:
    item = db.session.get(VaultItem, message.vault_item_id) if message.vault_item_id else None
    if item is None:
        return None
    try:
        return get_vault().decrypt(item)
    except VaultError:
        return None  # erased (crypto-shredded) or unreadable


def serialise(message: SecureMessage, ticket: Ticket | None) -> dict[str, Any]:
    """A message with its decrypted body (None once erased)."""
    return {
        "id": message.id,
        "direction": message.direction,
        "author": message.author,
        "ticket": {"vendor": ticket.vendor, "id": ticket.external_id} if ticket else None,
        "request_id": message.request_id,
        "body": _body(message),
        "created_at": message.created_at.isoformat(),
        "read_at": message.read_at.isoformat() if message.read_at else None,
    }


def messages_of(subject_id: str) -> list[dict[str, Any]]:
    """Every message to or from the person (merged identities included), oldest first."""
    rows = db.session.scalars(
        sa.select(SecureMessage)
        .where(SecureMessage.subject_id.in_(group_ids(subject_id)))
        .order_by(SecureMessage.created_at, SecureMessage.id)
    ).all()
    tickets = {
        t.id: t
        for t in db.session.scalars(
            sa.select(Ticket).where(Ticket.id.in_({r.ticket_id for r in rows if r.ticket_id}))
        )
    }
    return [serialise(r, tickets.get(r.ticket_id or -1)) for r in rows]


def mark_read(subject_id: str) -> int:
    """Mark the person's unread incoming messages as read; returns how many."""
    result = db.session.execute(
        sa.update(SecureMessage)
        .where(
            SecureMessage.subject_id.in_(group_ids(subject_id)),
            SecureMessage.direction == "out",
            SecureMessage.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount or 0)


def unread_count(subject_id: str) -> int:
    """How many messages to the person are unread."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SecureMessage)
            .where(
                SecureMessage.subject_id.in_(group_ids(subject_id)),
                SecureMessage.direction == "out",
                SecureMessage.read_at.is_(None),
            )
        )
        or 0
    )


def thread_for_ticket(actor: Actor, vendor: str, external_id: str) -> list[dict[str, Any]]:
    """The ticket's secure messages for an agent (audited as a view)."""
    ticket = find_ticket(vendor, external_id, actor)
    rows = db.session.scalars(
        sa.select(SecureMessage)
        .where(SecureMessage.ticket_id == ticket.id)
        .order_by(SecureMessage.created_at, SecureMessage.id)
    ).all()
    out = [serialise(r, ticket) for r in rows]
    audit.record(
        audit.actions.VIEW,
        actor=actor,
        subject_id=ticket.subject_id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}",
        field=FIELD,
        details={"messages": [r.id for r in rows]},
    )
    db.session.commit()
    return out


def notes_for_request(actor: Actor, request_id: str) -> list[dict[str, Any]]:
    """What the person wrote with a request (e.g. the correction wanted), for the DPO."""
    request_row = db.session.get(DataSubjectRequest, request_id)
    if request_row is None:
        raise ApiError(404, "not_found", "No such request")
    rows = db.session.scalars(
        sa.select(SecureMessage)
        .where(SecureMessage.request_id == request_id)
        .order_by(SecureMessage.created_at, SecureMessage.id)
    ).all()
    audit.record(
        audit.actions.VIEW,
        actor=actor,
        subject_id=request_row.subject_id,
        field=FIELD,
        details={"request": request_id, "messages": [r.id for r in rows]},
    )
    db.session.commit()
    return [serialise(r, None) for r in rows]
