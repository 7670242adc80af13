"""The durable inbox: store webhook events once, claim them with a lease, retry, park."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from plugin.extensions import db
from plugin.ingest.errors import safe_error
from plugin.ingest.inbox_insert import EventKey, insert_rows
from plugin.ingest.settings import IngestSettings
from plugin.models import InboxEvent
from plugin.models.types import utcnow
from plugin.vendors.contract import WebhookEvent

PENDING, PROCESSING, DONE, PARKED = "pending", "processing", "done", "parked"
STATUSES = (PENDING, PROCESSING, DONE, PARKED)


def inbox_rows(events: Iterable[WebhookEvent]) -> tuple[list[dict[str, Any]], int]:
    """Inbox rows of the events (a key repeated among them once), and how many were given."""
    now = utcnow()
    given = 0
    rows: dict[EventKey, dict[str, Any]] = {}
    for event in events:
        given += 1
        key = (event.vendor, event.event_key[:255])
        if key in rows:
            continue
        rows[key] = {
            "vendor": event.vendor,
            "event_key": key[1],
            "kind": event.kind,
            "object_type": event.object_type,
            "object_id": event.object_id[:128],
            "occurred_at": event.occurred_at,
            "payload": event.to_payload(),
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "received_at": now,
            # last_error, processed_at, locked_by, locked_until: NULL, not bound (cheaper).
        }
    return list(rows.values()), given


def row_key(row: dict[str, Any]) -> EventKey:
    """The unique key of a row built by ``inbox_rows``."""
    return (row["vendor"], row["event_key"])


def enqueue(events: Iterable[WebhookEvent]) -> tuple[int, int]:
    """Store events in the session's transaction, ignoring stored ones; (new, duplicates).

    No commit: the caller commits (backfill per chunk). Webhooks go through the group
    commit writer in ``plugin.webhooks.writer`` instead.
    """
    rows, given = inbox_rows(events)
    new = len(insert_rows(db.session.connection(), rows))
    return new, given - new


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    """Due pending events, and processing ones whose lease expired (their worker died)."""
    return sa.or_(
        sa.and_(InboxEvent.status == PENDING, InboxEvent.next_attempt_at <= now),
        sa.and_(InboxEvent.status == PROCESSING, InboxEvent.locked_until < now),
    )


def claim(worker_id: str, settings: IngestSettings, limit: int | None = None) -> list[int]:
    """Lease up to ``limit`` due events to this worker and commit; returns their ids.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` so concurrent workers take disjoint rows.
    SQLite (one writer at a time): a conditional UPDATE per row, kept only if it changed
    exactly one row, which is the same guarantee for the processes sharing the file.
    """
    now = utcnow()
    limit = limit or settings.batch_size
    lease = {
        "status": PROCESSING,
        "locked_by": worker_id[:64],
        "locked_until": now + timedelta(seconds=settings.lease_seconds),
        "attempts": InboxEvent.attempts + 1,
    }
    query = (
        sa.select(InboxEvent.id)
        .where(_claimable(now))
        .order_by(InboxEvent.next_attempt_at, InboxEvent.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        ids = list(db.session.scalars(query.with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(sa.update(InboxEvent).where(InboxEvent.id.in_(ids)).values(lease))
        db.session.commit()
        return ids
    claimed: list[int] = []
    for event_id in list(db.session.scalars(query)):
        result = db.session.execute(
            sa.update(InboxEvent)
            .where(InboxEvent.id == event_id, _claimable(now))
            .values(lease)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(event_id)
    db.session.commit()
    return claimed


def backoff(attempts: int, settings: IngestSettings) -> float:
    """Seconds before the next try: exponential, capped, with jitter."""
    base = min(settings.backoff_cap_seconds, settings.backoff_seconds * 2 ** max(attempts - 1, 0))
    return base * _jitter()


def _jitter() -> float:
    # Its own function so tests can pin it; spreads retries of a burst over time.
    return random.uniform(0.8, 1.2)


def mark_done(event: InboxEvent, outcome: str) -> None:
    """Finish an event (in the caller's transaction)."""
    event.status = DONE
    event.processed_at = utcnow()
    event.locked_by = None
    event.locked_until = None
    event.last_error = None if outcome == "ok" else f"outcome: {outcome}"


def mark_failed(event_id: int, exc: BaseException, settings: IngestSettings) -> str:
    """Record a failure (own transaction): retry later, or park after max attempts."""
    db.session.rollback()
    event = db.session.get(InboxEvent, event_id)
    if event is None:
        return "gone"
    event.last_error = safe_error(exc)
    event.locked_by = None
    event.locked_until = None
    if event.attempts >= settings.max_attempts:
        event.status = PARKED
    else:
        event.status = PENDING
        event.next_attempt_at = utcnow() + timedelta(seconds=backoff(event.attempts, settings))
    db.session.commit()
    return event.status


def park(event_id: int, exc: BaseException) -> None:
    """Park an event at once with its reason (own transaction): it waits for a person."""
    db.session.rollback()
    event = db.session.get(InboxEvent, event_id)
    if event is None:
        return
    event.status = PARKED
    event.last_error = safe_error(exc)
    event.locked_by = None
    event.locked_until = None
    db.session.commit()


def retry_parked(ids: Iterable[int] | None = None) -> int:
    """Requeue parked events (all of them when ``ids`` is None); commits; returns the count."""
    statement = sa.update(InboxEvent).where(InboxEvent.status == PARKED)
    if ids is not None:
        statement = statement.where(InboxEvent.id.in_(list(ids)))
    result = db.session.execute(
        statement.values(status=PENDING, attempts=0, next_attempt_at=utcnow()).execution_options(
            synchronize_session=False
        )
    )
    db.session.commit()
    return int(result.rowcount or 0)


def list_events(status: str | None = None, limit: int = 200) -> list[InboxEvent]:
    """Newest events first, optionally of one status."""
    query = sa.select(InboxEvent).order_by(InboxEvent.id.desc()).limit(limit)
    if status:
        query = query.where(InboxEvent.status == status)
    return list(db.session.scalars(query))


def counts() -> dict[str, int]:
    """Events per status."""
    rows = db.session.execute(
        sa.select(InboxEvent.status, sa.func.count()).group_by(InboxEvent.status)
    )
    return {status: int(n) for status, n in rows}
