"""Which tickets are due, by which rule, and whether a job may still run (re-checked late)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.ingest.settings import ingest_settings
from plugin.models import Consent, DataSubject, Finding, OutboxJob, Ticket
from plugin.retention.policy import Rule, TicketDates, due_now, rules_for, schedule
from plugin.subjects.restrictions import restricted_pairs

RETENTION = "retention"
TICKET_ACTIONS = ("delete_ticket", "anonymise_ticket")


@dataclass(frozen=True)
class TicketPlan:
    """What retention will do to one ticket, and why."""

    ticket: Ticket
    held: bool
    planned: list[tuple[Rule, datetime]]  # not yet done, soonest first
    due: list[tuple[Rule, datetime]]  # what to do now

    @property
    def next_due(self) -> datetime | None:
        """The earliest date a remaining rule falls due."""
        return self.planned[0][1] if self.planned else None


def dedupe_key(ticket_id: int, action: str) -> str:
    """The outbox key that makes a due action enqueued once."""
    return f"{RETENTION}:{ticket_id}:{action}"


def plan_tickets(
    tickets: Sequence[Ticket], now: datetime, ignore_keys: Collection[str] = ()
) -> list[TicketPlan]:
    """Plans for a chunk of tickets, a few queries for the whole chunk.

    ``ignore_keys`` leaves jobs out of "already done" (the jobs being re-checked).
    """
    if not tickets:
        return []
    ids = [t.id for t in tickets]
    categories: dict[int, set[str]] = defaultdict(set)
    for ticket_id, category in db.session.execute(
        sa.select(Finding.ticket_id, Finding.category).where(Finding.ticket_id.in_(ids)).distinct()
    ):
        categories[ticket_id].add(category)
    done: dict[int, set[str]] = defaultdict(set)
    for ticket_id, kind in db.session.execute(
        sa.select(OutboxJob.ticket_id, OutboxJob.kind).where(
            OutboxJob.ticket_id.in_(ids),
            OutboxJob.reason == RETENTION,
            OutboxJob.status != "cancelled",
            OutboxJob.dedupe_key.not_in(list(ignore_keys) or [""]),
        )
    ):
        done[ticket_id].add(kind)
    withdrawn = _withdrawals({(t.subject_id, t.purpose) for t in tickets if t.subject_id})
    held_subjects = _held_subjects({t.subject_id for t in tickets if t.subject_id})
    # Art. 18(1)(b)-(c): a person who asked for restriction instead of erasure, or needs the
    # data for legal claims, must keep it: a restriction holds deletion like a legal hold.
    restricted = restricted_pairs("restriction")
    purposes = current_app.extensions["datavagt.manifest"].purposes
    unwritable_days = ingest_settings().unwritable_retention_days
    plans = []
    for ticket in tickets:
        spec = purposes.get(ticket.purpose or "")
        if spec is None:
            continue  # no purpose, no rule: nothing is deleted on a guess
        dates = TicketDates(
            closed=ticket.closed_at,
            last_activity=ticket.last_activity_at,
            created=ticket.vendor_created_at or ticket.ingested_at,
            consent_withdrawn=withdrawn.get((ticket.subject_id, ticket.purpose)),
        )
        unwritable = unwritable_days if ticket.unwritable_fields else None
        rules = rules_for(ticket.purpose or "", spec, categories[ticket.id], unwritable)
        planned = schedule(rules, dates, done[ticket.id])
        held = (
            bool(ticket.legal_hold)
            or ticket.subject_id in held_subjects
            or (ticket.subject_id, None) in restricted
            or (ticket.subject_id, ticket.purpose) in restricted
        )
        plans.append(TicketPlan(ticket, held, planned, due_now(planned, now)))
    return plans


def _withdrawals(pairs: set[tuple[str | None, str | None]]) -> dict[tuple[str, str], datetime]:
    """Latest withdrawal per (subject, purpose) with no consent still standing."""
    subjects = {s for s, _ in pairs if s}
    if not subjects:
        return {}
    latest: dict[tuple[str, str], datetime] = {}
    standing: set[tuple[str, str]] = set()
    for subject_id, purpose, withdrawn_at in db.session.execute(
        sa.select(Consent.subject_id, Consent.purpose, Consent.withdrawn_at).where(
            Consent.subject_id.in_(subjects)
        )
    ):
        key = (subject_id, purpose)
        if withdrawn_at is None:
            standing.add(key)
        elif key not in latest or withdrawn_at > latest[key]:
            latest[key] = withdrawn_at
    return {k: v for k, v in latest.items() if k not in standing}


def _held_subjects(subject_ids: set[str | None]) -> set[str]:
    wanted = {s for s in subject_ids if s}
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            sa.select(DataSubject.id).where(
                DataSubject.id.in_(wanted), DataSubject.legal_hold.is_(True)
            )
        )
    )


def live_tickets(chunk: int) -> Iterator[list[Ticket]]:
    """Every ticket not yet deleted, in id order, a chunk at a time."""
    last = 0
    while True:
        rows = list(
            db.session.scalars(
                sa.select(Ticket)
                .where(Ticket.deleted_at.is_(None), Ticket.id > last)
                .order_by(Ticket.id)
                .limit(chunk)
            )
        )
        if not rows:
            return
        yield rows
        last = rows[-1].id


def due_tickets(now: datetime, chunk: int) -> Iterator[list[Ticket]]:
    """Tickets whose cached due date has passed, oldest due first, a chunk at a time."""
    after: tuple[datetime, int] | None = None
    while True:
        query = sa.select(Ticket).where(Ticket.deleted_at.is_(None), Ticket.retention_due_at <= now)
        if after is not None:
            query = query.where(sa.tuple_(Ticket.retention_due_at, Ticket.id) > sa.tuple_(*after))
        rows = list(
            db.session.scalars(query.order_by(Ticket.retention_due_at, Ticket.id).limit(chunk))
        )
        if not rows:
            return
        yield rows
        last = rows[-1]
        after = (last.retention_due_at, last.id)  # type: ignore[assignment]


def blocker(plan: TicketPlan | None, ticket: Ticket, action: str) -> str | None:
    """Why a retention job must not run now (None when it may); decided under the claim."""
    if ticket.deleted_at is not None:
        return "already_deleted"
    if plan is None:
        return "no_rule"
    if plan.held:
        return "legal_hold"
    if action not in {rule.action for rule, _ in plan.due}:
        return "not_due"
    return None
