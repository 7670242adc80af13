"""Secure messages: bodies sealed in the vault under the person's key; every send audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.agents.tickets import find_ticket
from plugin.auth.guard import Actor
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.mail import get_mailer
from plugin.mail.texts import notice_mail
from plugin.models import (
    DataSubject,
    SecureMessage,
    SubjectIdentifier,
    Ticket,
    VaultItem,
)
from plugin.models.types import utcnow
from plugin.portal.urls import base_url
from plugin.subjects.groups import group_ids
from plugin.vault import VaultError, get_vault

MAX_BODY_CHARS = 10000
SUBJECT_AUTHOR = "subject"
FIELD = "message"


def subject_actor(subject_id: str) -> Actor:
    """The data subject acting through My pages (a pseudonymous id, never an address)."""
    return Actor(id=f"subject:{subject_id}", role=None, source="portal")


def _survivor(subject_id: str) -> DataSubject | None:
    subject = db.session.get(DataSubject, subject_id)
    seen: set[str] = set()
    while subject is not None and subject.merged_into_id and subject.id not in seen:
        seen.add(subject.id)
        subject = db.session.get(DataSubject, subject.merged_into_id)
    return subject


def email_of(subject_id: str) -> str | None:
    """The person's e-mail address from the vault (first readable one), for the notice."""
    rows = db.session.scalars(
        sa.select(SubjectIdentifier)
        .where(
            SubjectIdentifier.subject_id.in_(group_ids(subject_id)),
            SubjectIdentifier.kind == "email",
            SubjectIdentifier.vault_item_id.is_not(None),
        )
        .order_by(SubjectIdentifier.verified.desc(), SubjectIdentifier.id)
    )
    for row in rows:
        item = db.session.get(VaultItem, row.vault_item_id)
        try:
            return get_vault().decrypt(item) if item is not None else None
        except VaultError:
            continue
    return None


def _store(subject_id: str, body: str, **columns: Any) -> SecureMessage:
    item = get_vault().encrypt(
        subject_id, body, field=FIELD, kind="message", ticket_id=columns.get("ticket_id")
    )
    message = SecureMessage(subject_id=subject_id, vault_item_id=item.id, **columns)
    db.session.add(message)
    db.session.flush()
    return message


def send_to_requester(
    actor: Actor, vendor: str, external_id: str, body: str, lang: str | None = None
) -> SecureMessage:
    """Seal a message to the ticket's requester, audit it, commit, then mail the notice."""
    ticket = find_ticket(vendor, external_id, actor)
    subject = _survivor(ticket.subject_id) if ticket.subject_id else None
    if subject is None:
        raise ApiError(409, "no_requester", "The ticket has no known requester")
    if subject.erased_at is not None:
        raise ApiError(410, "erased", "The requester's data was erased")
    address = email_of(subject.id)
    if address is None:
        raise ApiError(409, "no_email", "No e-mail address is known for the requester")
    link = base_url()
    mailer = get_mailer()
    message = _store(
        subject.id,
        body,
        ticket_id=ticket.id,
        direction="out",
        author=actor.id,
        notified_at=utcnow() if mailer.enabled and link else None,
    )
    audit.record(
        audit.actions.MESSAGE_SENT,
        actor=actor,
        subject_id=subject.id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}",
        details={"message_id": message.id, "direction": "out", "chars": len(body)},
    )
    db.session.commit()
    if link:
        controller = current_app.extensions["datavagt.manifest"].data["controller"]["name"]
        title, text = notice_mail(lang or "", f"{link}/portal/messages", controller)
        mailer.send_later(address, title, text)
    return message


def store_for_subject(actor: Actor, subject_id: str, body: str) -> tuple[SecureMessage, str | None]:
    """Seal a message to a person that concerns no one ticket (e.g. a breach notice, Art. 34)
    and audit it; the caller commits, then mails the notice to the address returned."""
    message = _store(
        subject_id,
        body,
        direction="out",
        author=actor.id,
        notified_at=utcnow() if get_mailer().enabled and base_url() else None,
    )
    audit.record(
        audit.actions.MESSAGE_SENT,
        actor=actor,
        subject_id=subject_id,
        details={"message_id": message.id, "direction": "out", "chars": len(body)},
    )
    return message, email_of(subject_id)


def mail_notices(addresses: list[str], lang: str = "") -> int:
    """After commit: tell each address a message waits in My pages; returns how many queued."""
    link = base_url()
    mailer = get_mailer()
    if not (link and mailer.enabled):
        return 0
    controller = current_app.extensions["datavagt.manifest"].data["controller"]["name"]
    title, text = notice_mail(lang, f"{link}/portal/messages", controller)
    for address in addresses:
        mailer.send_later(address, title, text)
    return len(addresses)


def reply(subject_id: str, message_id: str, body: str) -> SecureMessage:
    """The person's answer to one of their messages (same ticket), sealed and audited."""
    ids = group_ids(subject_id)
    original = db.session.get(SecureMessage, message_id)
    if original is None or original.subject_id not in ids:
        raise ApiError(404, "not_found", "Message not found")
    message = _store(
        subject_id,
        body,
        ticket_id=original.ticket_id,
        direction="in",
        author=SUBJECT_AUTHOR,
    )
    ticket = db.session.get(Ticket, original.ticket_id) if original.ticket_id else None
    audit.record(
        audit.actions.MESSAGE_SENT,
        actor=subject_actor(subject_id),
        subject_id=subject_id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}" if ticket else None,
        details={"message_id": message.id, "direction": "in", "in_reply_to": original.id},
    )
    db.session.commit()
    return message


def note_for_request(subject_id: str, request_id: str, body: str) -> SecureMessage:
    """The person's explanation of a request (e.g. what to correct), sealed; caller commits."""
    return _store(subject_id, body, request_id=request_id, direction="in", author=SUBJECT_AUTHOR)
