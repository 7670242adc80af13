"""Mirror deletions made in the CRM itself: drop Datavagt's own copies of what is gone.

A deletion event is a hint, never a command: anyone holding the webhook credential can send
one. It takes effect only when the vendor's API confirms the record is gone, and never on a
ticket or person under a legal hold (the event is parked with the reason, for the DPO).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.ingest.errors import EventParked
from plugin.keys import Keyring
from plugin.models import DataSubject, Finding, OutboxJob, SubjectIdentifier, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.retention.due import RETENTION
from plugin.retention.effects import forget_ticket_copies
from plugin.subjects.identity import blind_index
from plugin.vault import get_vault
from plugin.vendors.contract import Adapter

log = logging.getLogger(__name__)
DELETION_KINDS = ("deleted", "privacy_deletion")
SOURCE = Actor.system("webhook")


class DeletionEvent(Protocol):
    """What is read from an inbox row or a WebhookEvent."""

    vendor: str
    kind: str
    object_type: str
    object_id: str


def handle_vendor_deletion(event: DeletionEvent, adapter: Adapter) -> str:
    """Erase our copies of a ticket or contact the vendor deleted; audited, caller commits.

    Returns an outcome word: ``deleted``, ``not_confirmed`` (the vendor still has it: a
    forged or replayed event changes nothing), ``unknown`` or ``skipped``. Raises
    EventParked under a legal hold, and the adapter's error when the vendor can't be asked.
    """
    if event.kind not in DELETION_KINDS:
        return "skipped"
    if event.object_type == "ticket":
        ticket = _ticket(event)
        if ticket is None:
            return "unknown"  # unknown to us, or our own deletion echoing back
        if ticket.legal_hold or _subject_held(ticket.subject_id):
            raise _held(event)
        if not _confirmed(event, adapter, ticket.subject_id):
            return "not_confirmed"
        _ticket_gone(event, ticket)
        return "deleted"
    if event.object_type == "contact":
        found = _contact(event)
        if found is None:
            return "unknown"
        subject, identifier = found
        if subject.legal_hold or _tickets_held(subject.id, event.vendor):
            raise _held(event)
        if not _confirmed(event, adapter, subject.id):
            return "not_confirmed"
        _contact_gone(event, subject, identifier)
        return "deleted"
    return "skipped"


def _held(event: DeletionEvent) -> EventParked:
    return EventParked(
        f"legal_hold: the {event.vendor} {event.object_type} {event.object_id} was reported "
        "deleted, but a legal hold keeps Datavagt's copies; lift the hold and retry the event"
    )


def _confirmed(event: DeletionEvent, adapter: Adapter, subject_id: str | None) -> bool:
    """Ask the vendor; a record it still holds means the event was forged or replayed."""
    if not adapter.record_exists(event.object_type, event.object_id):
        return True
    log.warning(
        "deletion event not confirmed by the vendor",
        extra={"vendor": event.vendor, "object_type": event.object_type},
    )
    record(
        actions.WEBHOOK_REJECTED,
        actor=SOURCE,
        subject_id=subject_id,
        ticket_ref=f"{event.vendor}:{event.object_id}" if event.object_type == "ticket" else None,
        reason="deletion reported but the record still exists in the vendor",
        details=_details(event),
    )
    return False


def _subject_held(subject_id: str | None) -> bool:
    if subject_id is None:
        return False
    subject = db.session.get(DataSubject, subject_id)
    return bool(subject is not None and subject.legal_hold)


def _tickets_held(subject_id: str, vendor: str) -> bool:
    held = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Ticket)
        .where(
            Ticket.subject_id == subject_id, Ticket.vendor == vendor, Ticket.legal_hold.is_(True)
        )
    )
    return bool(held)


def _ticket(event: DeletionEvent) -> Ticket | None:
    ticket = db.session.scalars(
        sa.select(Ticket).where(
            Ticket.vendor == event.vendor, Ticket.external_id == event.object_id
        )
    ).first()
    if ticket is None or ticket.deleted_at is not None:
        return None
    return ticket


def _ticket_gone(event: DeletionEvent, ticket: Ticket) -> None:
    removed = forget_ticket_copies(ticket)
    ticket.deleted_at = utcnow()
    ticket.status = "deleted"
    # Retention has nothing left to do here; a job already running will see a 404.
    db.session.execute(
        sa.update(OutboxJob)
        .where(
            OutboxJob.ticket_id == ticket.id,
            OutboxJob.status == "pending",
            OutboxJob.reason == RETENTION,  # erasure jobs still run: their 404 is evidence
        )
        .values(status="cancelled", last_error="deleted_in_vendor", completed_at=utcnow())
    )
    record(
        actions.ERASE,
        actor=SOURCE,
        subject_id=ticket.subject_id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}",
        reason="deleted in the vendor",
        details=_details(event, findings_removed=removed),
    )


def _contact(event: DeletionEvent) -> tuple[DataSubject, SubjectIdentifier] | None:
    keyring: Keyring = current_app.extensions["datavagt.keyring"]
    index = blind_index(keyring, "vendor_contact", event.object_id)
    identifier = db.session.scalars(
        sa.select(SubjectIdentifier).where(
            SubjectIdentifier.kind == "vendor_contact",
            SubjectIdentifier.vendor == event.vendor,
            SubjectIdentifier.blind_index == index,
        )
    ).first()
    if identifier is None:
        return None
    subject = db.session.get(DataSubject, identifier.subject_id)
    if subject is None:
        return None
    return subject, identifier


def _contact_gone(
    event: DeletionEvent, subject: DataSubject, identifier: SubjectIdentifier
) -> None:
    elsewhere = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SubjectIdentifier)
        .where(
            SubjectIdentifier.subject_id == subject.id,
            SubjectIdentifier.kind == "vendor_contact",
            SubjectIdentifier.vendor != event.vendor,
        )
    )
    tickets = list(
        db.session.scalars(
            sa.select(Ticket).where(Ticket.subject_id == subject.id, Ticket.vendor == event.vendor)
        )
    )
    removed = sum(forget_ticket_copies(t) for t in tickets)
    shredded = 0
    if not elsewhere:
        # The person is gone from the only vendor that held them: shred everything of theirs.
        shredded = get_vault().shred(subject.id)
        removed += int(
            db.session.execute(sa.delete(Finding).where(Finding.subject_id == subject.id)).rowcount
            or 0
        )
        db.session.execute(sa.delete(VaultItem).where(VaultItem.subject_id == subject.id))
        db.session.execute(
            sa.delete(SubjectIdentifier).where(SubjectIdentifier.subject_id == subject.id)
        )
        subject.erased_at = subject.erased_at or utcnow()
    else:
        db.session.delete(identifier)
    record(
        actions.ERASE,
        actor=SOURCE,
        subject_id=subject.id,
        reason="contact deleted in the vendor",
        details=_details(
            event, findings_removed=removed, vault_items_shredded=shredded, shredded=not elsewhere
        ),
    )


def _details(event: DeletionEvent, **extra: Any) -> dict[str, Any]:
    return {
        "origin": "vendor",
        "vendor": event.vendor,
        "object_type": event.object_type,
        "kind": event.kind,
        **extra,
    }
