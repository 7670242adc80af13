"""What a finished job changes in Datavagt, written with its audit event in one transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, Finding, OutboxJob, Ticket, VaultItem
from plugin.retention.due import RETENTION, blocker
from plugin.retention.executor import Outcome
from plugin.retention.outbox import ClaimedJob

WORKER = Actor.system("worker")
TICKET_KINDS = ("delete_ticket", "anonymise_ticket")


def recheck(job: OutboxJob, now: datetime) -> str | None:
    """Why a claimed job must not run (legal hold, no longer due, gone); None if it may."""
    ticket = None
    if job.ticket_id is not None:
        # Locks the ticket row on PostgreSQL: a hold being set waits for this claim, or wins.
        ticket = db.session.get(Ticket, job.ticket_id, with_for_update=True, populate_existing=True)
    if job.reason == RETENTION and job.kind in TICKET_KINDS:
        if ticket is None:
            return "ticket_unknown"
        return blocker(ticket, job.kind, now)
    subject = db.session.get(DataSubject, job.subject_id) if job.subject_id else None
    if subject is not None and subject.legal_hold:
        return "legal_hold"
    if ticket is not None and ticket.legal_hold:
        return "legal_hold"
    if ticket is not None and ticket.deleted_at is not None and job.kind in TICKET_KINDS:
        return "already_deleted"
    if job.reason == RETENTION and ticket is not None:
        return blocker(ticket, job.kind, now) if job.kind.endswith("_contact") else None
    return None


def forget_ticket_copies(ticket: Ticket) -> int:
    """Drop Datavagt's own copies of a ticket's personal data (findings, sealed values)."""
    removed = db.session.execute(sa.delete(Finding).where(Finding.ticket_id == ticket.id)).rowcount
    db.session.execute(sa.delete(VaultItem).where(VaultItem.ticket_id == ticket.id))
    return int(removed or 0)


def apply(job: ClaimedJob, outcome: Outcome, now: datetime) -> None:
    """Mark the ticket, drop copies and audit; the caller commits with the job's new state."""
    ticket = db.session.get(Ticket, job.ticket_id) if job.ticket_id is not None else None
    details = {"job": job.id, "vendor": job.vendor, "kind": job.kind, "result": outcome.result}
    if job.params.get("rule"):
        details["rule"] = job.params["rule"]
    if ticket is not None and job.kind in TICKET_KINDS:
        details["findings_removed"] = forget_ticket_copies(ticket)
        if job.kind == "delete_ticket":
            ticket.deleted_at = ticket.deleted_at or now
            ticket.status = "deleted"
        else:
            ticket.status = "anonymised"
    if job.reason != RETENTION:
        action = actions.ERASE
    elif job.kind.startswith("anonymise"):
        action = actions.RETENTION_ANONYMISE
    else:
        action = actions.RETENTION_DELETE
    record(
        action,
        actor=WORKER,
        subject_id=job.subject_id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}" if ticket is not None else None,
        reason=job.reason,
        details=details,
    )
