"""The retention sweep: refresh due dates, then enqueue every due action once, oldest first."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.models.types import utcnow
from plugin.retention import outbox
from plugin.retention.due import (
    RETENTION,
    TicketPlan,
    dedupe_key,
    due_tickets,
    live_tickets,
    plan_tickets,
)
from plugin.retention.settings import retention_settings

log = logging.getLogger(__name__)
CONTACT_ACTIONS = ("delete_contact", "anonymise_contact")


@dataclass(frozen=True)
class PlannedAction:
    """One line of the plan: which ticket, by which rule, due when, doing what."""

    ticket_id: int
    ticket_ref: str
    purpose: str
    rule: str
    due_at: datetime
    action: str
    held: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form for the API and the CLI."""
        return {
            "ticket_id": self.ticket_id,
            "ticket_ref": self.ticket_ref,
            "purpose": self.purpose,
            "rule": self.rule,
            "due_at": self.due_at.isoformat(),
            "action": self.action,
            "blocked_by": "legal_hold" if self.held else None,
        }


@dataclass
class SweepResult:
    """Counts of one sweep (logged; returned to the CLI and the scheduler)."""

    refreshed: int = 0
    due: int = 0
    held: int = 0
    enqueued: int = 0
    planned: list[PlannedAction] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """The counts only."""
        return {k: getattr(self, k) for k in ("refreshed", "due", "held", "enqueued")}


def refresh_due_dates(now: datetime, chunk: int) -> int:
    """Cache each live ticket's next due date (commits per chunk); returns how many changed."""
    changed = 0
    for tickets in live_tickets(chunk):
        for plan in plan_tickets(tickets, now):
            if plan.ticket.retention_due_at != plan.next_due:
                plan.ticket.retention_due_at = plan.next_due
                changed += 1
        db.session.commit()
    return changed


def actions_of(plan: TicketPlan) -> list[PlannedAction]:
    """The plan's due actions as lines."""
    ticket = plan.ticket
    return [
        PlannedAction(
            ticket.id,
            f"{ticket.vendor}:{ticket.external_id}",
            rule.purpose,
            rule.name,
            due,
            rule.action,
            plan.held,
        )
        for rule, due in plan.due
    ]


def job_row(plan: TicketPlan, line: PlannedAction) -> dict[str, Any]:
    """The outbox row for one planned action."""
    ticket = plan.ticket
    contact = line.action in CONTACT_ACTIONS
    return {
        "dedupe_key": dedupe_key(ticket.id, line.action),
        "kind": line.action,
        "vendor": ticket.vendor,
        # A contact's id is looked up from the ticket when the job runs (it is still there).
        "target": "" if contact else ticket.external_id,
        "subject_id": ticket.subject_id,
        "ticket_id": ticket.id,
        "reason": RETENTION,
        "params": {"rule": line.rule, "ticket_external_id": ticket.external_id},
    }


def sweep(now: datetime | None = None, *, dry_run: bool = False) -> SweepResult:
    """Find due tickets oldest first, in chunks, and enqueue each due action once."""
    settings = retention_settings(current_app._get_current_object())  # type: ignore[attr-defined]
    now = now or utcnow()
    result = SweepResult()
    if dry_run:
        # Read-only: plan every live ticket from its dates, without touching the cache.
        chunks = live_tickets(settings.chunk)
    else:
        result.refreshed = refresh_due_dates(now, settings.chunk)
        chunks = due_tickets(now, settings.chunk)
    for tickets in chunks:
        rows = []
        for plan in plan_tickets(tickets, now):
            lines = actions_of(plan)
            if not lines:
                continue
            result.due += 1
            result.held += int(plan.held)
            if dry_run:
                result.planned.extend(lines)
            elif not plan.held:
                rows.extend(job_row(plan, line) for line in lines)
        if rows:
            result.enqueued += outbox.enqueue(rows)
            _revive_cancelled([row["dedupe_key"] for row in rows])
        db.session.commit()
    if dry_run:
        result.planned.sort(key=lambda line: (line.due_at, line.ticket_id))
    log.info("retention sweep", extra={"dry_run": dry_run, **result.as_dict()})
    return result


def _revive_cancelled(keys: list[str]) -> None:
    """A job cancelled earlier (hold, not yet due) is queued again once it is due and free."""
    db.session.execute(
        sa.update(OutboxJob)
        .where(OutboxJob.dedupe_key.in_(keys), OutboxJob.status == "cancelled")
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), last_error=None)
    )


def sweep_job(app: Flask) -> dict[str, Any]:
    """Scheduler entry point for the manifest job ``retention_sweep``: sweep, then execute."""
    from plugin.retention.dispatcher import Dispatcher

    with app.app_context():
        try:
            counts: dict[str, Any] = sweep().as_dict()
        finally:
            db.session.remove()
    # Bounded so a nightly run ends; jobs still backing off are picked up by the next run
    # or by `datavagt retention dispatch` / the retention_dispatch job.
    stats = Dispatcher(app).run_until_idle(timeout=retention_settings(app).sweep_dispatch_seconds)
    counts["dispatch"] = dict(stats.counts)
    return counts


def dispatch_job(app: Flask) -> dict[str, int]:
    """Scheduler entry point for an interval job: run queued jobs (erasures, retries) now."""
    from plugin.retention.dispatcher import Dispatcher

    stats = Dispatcher(app).run_until_idle(timeout=retention_settings(app).sweep_dispatch_seconds)
    return dict(stats.counts)
