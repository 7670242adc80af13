"""The durable outbox: enqueue once, claim under row locks with a lease, finish or fail."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.models.types import utcnow
from plugin.retention.settings import RetentionSettings

STATUSES = ("pending", "running", "done", "dead", "cancelled")


@dataclass(frozen=True)
class ClaimedJob:
    """A job this worker holds the lease on; plain data, usable outside the session."""

    id: int
    kind: str
    vendor: str
    target: str
    subject_id: str | None
    ticket_id: int | None
    reason: str
    params: dict[str, Any]
    attempts: int


def write_lock(session: Session) -> None:
    """Take the database's write lock now on SQLite (PostgreSQL locks rows instead)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        # Without BEGIN IMMEDIATE two SQLite writers could read the same "pending" row.
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def enqueue(rows: Iterable[dict[str, Any]]) -> int:
    """Insert jobs, skipping any whose dedupe_key exists; returns how many were new (no commit)."""
    batch = [{"status": "pending", "attempts": 0, "next_attempt_at": utcnow(), **r} for r in rows]
    if not batch:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxJob)
        .values(batch)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxJob.id)
    )
    # RETURNING counts the new rows on both backends (rowcount is -1 for some drivers).
    return len(db.session.execute(statement).all())


Recheck = Callable[[list[OutboxJob], datetime], dict[int, str]]


def claim(
    worker: str, limit: int, settings: RetentionSettings, recheck: Recheck
) -> list[ClaimedJob]:
    """Lease up to ``limit`` due jobs; ``recheck`` names those to cancel, with why. Commits."""
    session = db.session
    now = utcnow()
    write_lock(session)
    ready = sa.or_(
        sa.and_(OutboxJob.status == "pending", OutboxJob.next_attempt_at <= now),
        # A lease that ran out means its worker died mid-call: the job is picked up again.
        sa.and_(OutboxJob.status == "running", OutboxJob.locked_until < now),
    )
    rows = list(
        session.scalars(
            sa.select(OutboxJob)
            .where(ready)
            .order_by(OutboxJob.next_attempt_at, OutboxJob.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    claimed: list[ClaimedJob] = []
    live = []
    for job in rows:
        if job.attempts >= settings.max_attempts:
            _dead(job, job.last_error or "lease expired on every attempt")
        else:
            live.append(job)
    blocked = recheck(live, now) if live else {}
    for job in live:
        if job.id in blocked:
            job.status, job.last_error, job.completed_at = "cancelled", blocked[job.id], now
            job.locked_by = job.locked_until = None
            continue
        job.status = "running"
        job.attempts += 1
        job.locked_by = worker
        job.locked_until = now + timedelta(seconds=settings.lease_seconds)
        claimed.append(_plain(job))
    session.commit()
    return claimed


def _plain(job: OutboxJob) -> ClaimedJob:
    return ClaimedJob(
        job.id,
        job.kind,
        job.vendor,
        job.target,
        job.subject_id,
        job.ticket_id,
        job.reason,
        dict(job.params or {}),
        job.attempts,
    )


def _dead(job: OutboxJob, error: str) -> None:
    job.status, job.last_error = "dead", error[:2000]
    job.locked_by = job.locked_until = None


def mark_done(job_id: int, worker: str, evidence: str | None) -> bool:
    """Record success if we still hold the lease (no commit: effects join this transaction)."""
    write_lock(db.session)
    result = db.session.execute(
        sa.update(OutboxJob)
        .where(OutboxJob.id == job_id, OutboxJob.status == "running", OutboxJob.locked_by == worker)
        .values(
            status="done",
            completed_at=utcnow(),
            evidence=evidence,
            last_error=None,
            locked_by=None,
            locked_until=None,
        )
    )
    return result.rowcount == 1


def mark_failed(
    job: ClaimedJob, worker: str, error: str, retryable: bool, settings: RetentionSettings
) -> str:
    """Back off and retry, or dead-letter after the last try; returns the new status. Commits."""
    session = db.session
    write_lock(session)
    row = session.get(OutboxJob, job.id, with_for_update=True)
    if row is None or row.status != "running" or row.locked_by != worker:
        session.rollback()
        return "lost"
    if retryable and row.attempts < settings.max_attempts:
        row.status = "pending"
        row.next_attempt_at = utcnow() + timedelta(seconds=backoff(row.attempts, settings))
        row.last_error = error[:2000]
        row.locked_by = row.locked_until = None
    else:
        _dead(row, error)
    status = row.status
    session.commit()
    return status


def backoff(attempts: int, settings: RetentionSettings) -> float:
    """Exponential delay before the next attempt, with jitter so retries spread out."""
    delay = min(settings.backoff_max, settings.backoff_base * 2 ** max(attempts - 1, 0))
    return delay * (0.5 + random.random() / 2)


def requeue(job_ids: Iterable[int] | None = None) -> list[int]:
    """Put dead jobs (all, or the given ones) back in the queue; returns their ids (no commit)."""
    query = sa.select(OutboxJob).where(OutboxJob.status == "dead")
    if job_ids is not None:
        query = query.where(OutboxJob.id.in_(list(job_ids)))
    rows = list(db.session.scalars(query.with_for_update()))
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = "pending", 0, utcnow()
    db.session.flush()
    return [row.id for row in rows]


def counts(reason: str | None = None) -> dict[str, int]:
    """Jobs per status (every status listed, zero when empty)."""
    query = sa.select(OutboxJob.status, sa.func.count()).group_by(OutboxJob.status)
    if reason is not None:
        query = query.where(OutboxJob.reason == reason)
    found = {status: n for status, n in db.session.execute(query)}
    return {status: int(found.get(status, 0)) for status in STATUSES}


def list_jobs(status: str | None, limit: int, offset: int = 0) -> list[OutboxJob]:
    """Jobs, newest first, optionally of one status."""
    query = sa.select(OutboxJob).order_by(OutboxJob.id.desc()).limit(limit).offset(offset)
    if status is not None:
        query = query.where(OutboxJob.status == status)
    return list(db.session.scalars(query))
