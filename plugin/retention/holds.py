"""Legal holds: while set on a ticket or a person, nothing of theirs is deleted (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, InboxEvent, OutboxJob, SubjectIdentifier, Ticket
from plugin.models.types import utcnow
from plugin.subjects.identity import blind_index


class HoldError(Exception):
    """A hold request that cannot be applied; ``code`` maps to an HTTP status."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class HoldTarget:
    """A ticket (``vendor:external_id``) or a data subject (id)."""

    ticket_ref: str | None = None
    subject_id: str | None = None


def _ticket(ref: str) -> Ticket:
    vendor, _, external = ref.partition(":")
    ticket = db.session.scalars(
        sa.select(Ticket)
        .where(Ticket.vendor == vendor, Ticket.external_id == external)
        .with_for_update()  # serialises with a dispatcher claiming this ticket's job
    ).first()
    if ticket is None:
        raise HoldError("unknown_ticket", "No such ticket")
    return ticket


def _subject(subject_id: str) -> DataSubject:
    subject = db.session.get(DataSubject, subject_id, with_for_update=True)
    if subject is None:
        raise HoldError("unknown_subject", "No such data subject")
    return subject


def _in_flight(target: HoldTarget, row: Ticket | DataSubject) -> int:
    """Jobs a worker is executing right now (their vendor call may already be under way)."""
    query = sa.select(sa.func.count()).select_from(OutboxJob).where(OutboxJob.status == "running")
    if isinstance(row, Ticket):
        query = query.where(OutboxJob.ticket_id == row.id)
    else:
        query = query.where(OutboxJob.subject_id == row.id)
    return int(db.session.scalar(query) or 0)


def set_hold(target: HoldTarget, reason: str, actor: Actor) -> dict[str, Any]:
    """Put a legal hold on; pending deletions are skipped at claim time. Commits."""
    row: Ticket | DataSubject = (
        _ticket(target.ticket_ref) if target.ticket_ref else _subject(target.subject_id or "")
    )
    row.legal_hold = True
    row.legal_hold_reason = reason
    record(
        actions.LEGAL_HOLD_SET,
        actor=actor,
        subject_id=row.id if isinstance(row, DataSubject) else row.subject_id,
        ticket_ref=target.ticket_ref,
        reason=reason,
        details={"scope": "ticket" if target.ticket_ref else "subject"},
    )
    result = describe(row)
    result["jobs_in_flight"] = _in_flight(target, row)
    db.session.commit()
    return result


def lift_hold(target: HoldTarget, reason: str | None, actor: Actor) -> dict[str, Any]:
    """Lift a hold; jobs it stopped are queued again (retention re-checks due-ness). Commits."""
    row: Ticket | DataSubject = (
        _ticket(target.ticket_ref) if target.ticket_ref else _subject(target.subject_id or "")
    )
    if not row.legal_hold:
        raise HoldError("no_hold", "There is no legal hold to lift")
    row.legal_hold = False
    row.legal_hold_reason = None
    column = OutboxJob.ticket_id if isinstance(row, Ticket) else OutboxJob.subject_id
    revived = db.session.execute(
        sa.update(OutboxJob)
        .where(
            column == row.id, OutboxJob.status == "cancelled", OutboxJob.last_error == "legal_hold"
        )
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), last_error=None)
    ).rowcount
    record(
        actions.LEGAL_HOLD_LIFTED,
        actor=actor,
        subject_id=row.id if isinstance(row, DataSubject) else row.subject_id,
        ticket_ref=target.ticket_ref,
        reason=reason,
        details={"scope": "ticket" if target.ticket_ref else "subject", "jobs_requeued": revived},
    )
    result = describe(row)
    result["jobs_requeued"] = int(revived or 0)
    db.session.commit()
    return result


def describe(row: Ticket | DataSubject) -> dict[str, Any]:
    """A hold as the API shows it (the reason is the DPO's own text)."""
    if isinstance(row, Ticket):
        return {
            "scope": "ticket",
            "ticket": f"{row.vendor}:{row.external_id}",
            "subject_id": row.subject_id,
            "legal_hold": row.legal_hold,
            "reason": row.legal_hold_reason,
        }
    return {
        "scope": "subject",
        "ticket": None,
        "subject_id": row.id,
        "legal_hold": row.legal_hold,
        "reason": row.legal_hold_reason,
    }


def list_holds(limit: int = 500) -> list[dict[str, Any]]:
    """Every hold in force, subjects first, then tickets, each with the vendor deletion
    events parked because of it (the DPO decides: lift the hold and retry, or keep it)."""
    subjects = db.session.scalars(
        sa.select(DataSubject).where(DataSubject.legal_hold.is_(True)).limit(limit)
    )
    tickets = db.session.scalars(
        sa.select(Ticket).where(Ticket.legal_hold.is_(True)).order_by(Ticket.id).limit(limit)
    )
    rows = [*subjects, *tickets]
    parked = _parked_deletions()
    out = []
    for row in rows:
        held = describe(row)
        key = ("ticket", row.vendor, row.external_id) if isinstance(row, Ticket) else row.id
        held["parked_deletions"] = parked.get(key, [])
        out.append(held)
    return out


def _parked_deletions() -> dict[Any, list[dict[str, Any]]]:
    """Parked deletion events by held ticket (vendor, id) and by held subject id."""
    events = db.session.scalars(
        sa.select(InboxEvent)
        .where(
            InboxEvent.status == "parked", InboxEvent.last_error.like("EventParked: legal_hold%")
        )
        .order_by(InboxEvent.id)
        .limit(1000)
    )
    keyring = current_app.extensions["datavagt.keyring"]
    found: dict[Any, list[dict[str, Any]]] = {}
    for event in events:
        entry = {
            "event_id": event.id,
            "vendor": event.vendor,
            "object_type": event.object_type,
            "kind": event.kind,
            "received_at": event.received_at.isoformat() if event.received_at else None,
        }
        if event.object_type == "ticket":
            found.setdefault(("ticket", event.vendor, event.object_id), []).append(entry)
            ticket = db.session.scalars(
                sa.select(Ticket).where(
                    Ticket.vendor == event.vendor, Ticket.external_id == event.object_id
                )
            ).first()
            if ticket is not None and ticket.subject_id:
                found.setdefault(ticket.subject_id, []).append(entry)
            continue
        index = blind_index(keyring, "vendor_contact", event.object_id)
        subject_id = db.session.scalar(
            sa.select(SubjectIdentifier.subject_id).where(
                SubjectIdentifier.kind == "vendor_contact",
                SubjectIdentifier.vendor == event.vendor,
                SubjectIdentifier.blind_index == index,
            )
        )
        if subject_id is not None:
            found.setdefault(subject_id, []).append(entry)
    return found
