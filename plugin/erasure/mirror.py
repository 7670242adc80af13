"""Mirror deletions made in the CRM itself: drop Datavagt's own copies of what is gone."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.keys import Keyring
from plugin.models import DataSubject, Finding, OutboxJob, SubjectIdentifier, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.retention.due import RETENTION
from plugin.retention.effects import forget_ticket_copies
from plugin.subjects.identity import blind_index
from plugin.vault import get_vault

log = logging.getLogger(__name__)
DELETION_KINDS = ("deleted", "privacy_deletion")
SOURCE = Actor.system("webhook")


class DeletionEvent(Protocol):
    """What is read from an inbox row or a WebhookEvent."""

    vendor: str
    kind: str
    object_type: str
    object_id: str


def handle_vendor_deletion(event: DeletionEvent) -> None:
    """Erase our copies of a ticket or contact the vendor deleted; audited, caller commits."""
    if event.kind not in DELETION_KINDS:
        return
    if event.object_type == "ticket":
        _ticket_gone(event)
    elif event.object_type == "contact":
        _contact_gone(event)


def _ticket_gone(event: DeletionEvent) -> None:
    ticket = db.session.scalars(
        sa.select(Ticket).where(
            Ticket.vendor == event.vendor, Ticket.external_id == event.object_id
        )
    ).first()
    if ticket is None or ticket.deleted_at is not None:
        return  # unknown to us, or our own deletion echoing back
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


def _contact_gone(event: DeletionEvent) -> None:
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
        return
    subject = db.session.get(DataSubject, identifier.subject_id)
    if subject is None:
        return
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
