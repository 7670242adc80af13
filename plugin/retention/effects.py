"""What a finished job changes in Datavagt, written with its audit event in one transaction."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, Finding, OutboxJob, SecureMessage, Ticket, VaultItem
from plugin.retention.due import RETENTION, blocker, plan_tickets
from plugin.retention.executor import Outcome
from plugin.retention.outbox import ClaimedJob

WORKER = Actor.system("worker")
TICKET_KINDS = ("delete_ticket", "anonymise_ticket")


def recheck(jobs: list[OutboxJob], now: datetime) -> dict[int, str]:
    """Jobs that must not run (legal hold, no longer due, gone) with the reason, by job id.

    Runs inside the claiming transaction; on PostgreSQL it locks the tickets' rows, so a
    hold being set either waits for this claim or is seen by it.
    """
    ticket_ids = {job.ticket_id for job in jobs if job.ticket_id is not None}
    tickets = {
        t.id: t
        for t in db.session.scalars(
            sa.select(Ticket)
            .where(Ticket.id.in_(ticket_ids))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    subject_ids = {job.subject_id for job in jobs if job.subject_id}
    held = set(
        db.session.scalars(
            sa.select(DataSubject.id).where(
                DataSubject.id.in_(subject_ids), DataSubject.legal_hold.is_(True)
            )
        )
    )
    retention = [job for job in jobs if job.reason == RETENTION and job.ticket_id in tickets]
    plans = {
        plan.ticket.id: plan
        for plan in plan_tickets(
            [tickets[job.ticket_id] for job in retention],  # type: ignore[index]
            now,
            ignore_keys=[job.dedupe_key for job in retention],
        )
    }
    blocked: dict[int, str] = {}
    for job in jobs:
        ticket = tickets.get(job.ticket_id) if job.ticket_id is not None else None
        if job.reason == RETENTION:
            if ticket is None:
                blocked[job.id] = "ticket_unknown"
            elif reason := blocker(plans.get(ticket.id), ticket, job.kind):
                blocked[job.id] = reason
        elif job.subject_id in held or (ticket is not None and ticket.legal_hold):
            blocked[job.id] = "legal_hold"
        # An erasure job on a ticket already deleted still runs: its 404 is the evidence.
    return blocked


def forget_ticket_copies(ticket: Ticket) -> int:
    """Drop Datavagt's own copies of a ticket's personal data: findings, sealed values and
    the secure messages exchanged about it. Returns how many findings went."""
    removed = db.session.execute(sa.delete(Finding).where(Finding.ticket_id == ticket.id)).rowcount
    db.session.execute(sa.delete(SecureMessage).where(SecureMessage.ticket_id == ticket.id))
    db.session.execute(sa.delete(VaultItem).where(VaultItem.ticket_id == ticket.id))
    return int(removed or 0)


def apply(job: ClaimedJob, outcome: Outcome, now: datetime) -> Callable[[], None]:
    """Mark the ticket and drop copies now; returns the audit write, to run last.

    The caller runs every returned write at the end of the transaction, then commits: the
    audit chain's lock is then held only for the audit rows, not for the rest of the batch.
    """
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
    db.session.flush()
    if job.reason != RETENTION:
        action = actions.ERASE
    elif job.kind.startswith("anonymise"):
        action = actions.RETENTION_ANONYMISE
    else:
        action = actions.RETENTION_DELETE
    ticket_ref = f"{ticket.vendor}:{ticket.external_id}" if ticket is not None else None
    return functools.partial(
        record,
        action,
        actor=WORKER,
        subject_id=job.subject_id,
        ticket_ref=ticket_ref,
        reason=job.reason,
        details=details,
    )
