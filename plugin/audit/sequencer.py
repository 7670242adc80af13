"""The sequencer: moves queued events into the hash chain in batches, one leader at a time.

Requests only INSERT into ``audit_queue`` (``record``), so they never wait for each other or
for the chain. A pass here takes the chain lock, reads up to ``sequence_batch`` queued rows
in id order, gives them the next seqs and hashes, inserts them into ``audit_events`` with one
multi-row statement, deletes exactly those queue rows and signs any checkpoint that falls in
the batch, all in ONE transaction: a sequencer killed mid-batch leaves the queue as it was
(the database rolls the batch back), and a row is never chained twice.

Leadership: on PostgreSQL ``pg_try_advisory_xact_lock`` on the chain's key, the key
``lock_chain`` takes too, so checkpoints and pruning wait for a batch and vice versa. The
lock belongs to the transaction: when the leader dies, PostgreSQL ends its session and frees
the lock, and the next pass of any process takes over. SQLite has one writer per file:
``BEGIN IMMEDIATE`` is the lock.

Rows are deleted by id, never by id range: on PostgreSQL a request that took a lower id may
commit after a later one was sequenced, and it must stay queued for the next pass.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from plugin.audit.canonical import event_hash
from plugin.audit.chain import PG_LOCK_KEY, chain_head
from plugin.audit.checkpoints import checkpoint_values
from plugin.audit.proofs import chunk_cache, root_hash
from plugin.models.audit import AuditCheckpoint, AuditEvent, AuditQueued
from plugin.models.types import utcnow

log = logging.getLogger(__name__)

EVENTS = AuditEvent.__table__
QUEUE = AuditQueued.__table__
CHECKPOINTS = AuditCheckpoint.__table__
CONTENT = (
    "occurred_at",
    "actor_id",
    "actor_role",
    "vendor_user",
    "action",
    "subject_id",
    "ticket_ref",
    "field",
    "reason",
    "request_id",
    "source",
    "details",
)
PENDING = "datavagt.audit_pending"  # Session.info flag: this transaction queued an event
EXTENSION = "datavagt.audit_sequencer"
COALESCE_SECONDS = 0.05
# Called after a batch is written and before it commits (tests kill the process here).
before_commit: Callable[[int], None] | None = None
# Called with every committed batch (bench/audit.py measures the sequencing delay).
on_batch: Callable[[Batch], None] | None = None


@dataclass(frozen=True)
class Batch:
    """What one pass chained: how many, which seqs, and when each event was recorded."""

    count: int
    first_seq: int | None = None
    last_seq: int | None = None
    occurred: list[datetime] = field(default_factory=list, repr=False)
    sequenced_at: datetime | None = None
    queue_ids: list[int] = field(default_factory=list, repr=False)


def _lead(connection: Connection, wait: bool) -> bool:
    """Take the chain lock for this transaction; False when another sequencer holds it."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        got = connection.execute(sa.text(f"SELECT {function}(:key)"), {"key": PG_LOCK_KEY})
        return wait or bool(got.scalar())
    if dialect == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        return True
    raise RuntimeError(f"audit sequencer: unsupported database {dialect}")  # pragma: no cover


def sequence_batch(
    engine: Engine, keyring: Any, *, limit: int, every: int, wait: bool = False
) -> Batch | None:
    """Chain up to ``limit`` queued events in one transaction; None when not the leader."""
    with engine.connect() as connection:
        if not _lead(connection, wait):
            connection.rollback()
            return None
        rows = connection.execute(
            sa.select(QUEUE.c.id, *(QUEUE.c[name] for name in CONTENT))
            .order_by(QUEUE.c.id)
            .limit(limit)
        ).all()
        if not rows:
            connection.rollback()
            return Batch(0)
        seq, prev_hash = chain_head(connection)
        first = seq + 1
        events: list[dict[str, Any]] = []
        due: list[tuple[int, str]] = []
        for row in rows:
            seq += 1
            content = dict(zip(CONTENT, row[1:], strict=True))
            content["details"] = dict(content["details"] or {})
            content["seq"] = seq
            content["prev_hash"] = prev_hash
            content["hash"] = prev_hash = event_hash(content, prev_hash)
            events.append(content)
            if seq % every == 0:
                due.append((seq, prev_hash))
        connection.execute(sa.insert(EVENTS), events)
        ids = [row[0] for row in rows]
        if connection.dialect.name == "postgresql":
            # One array parameter instead of one bind per id.
            done = sa.text("DELETE FROM audit_queue WHERE id = ANY(:ids)")
            connection.execute(done, {"ids": ids})
        else:
            connection.execute(sa.delete(QUEUE).where(QUEUE.c.id.in_(ids)))
        shared = chunk_cache(connection)
        cache = dict(shared)  # this batch's chunks join the shared cache only once committed
        if due:
            signed = [
                checkpoint_values(keyring, size, head, root_hash(connection, size, cache))
                for size, head in due
            ]
            connection.execute(sa.insert(CHECKPOINTS), signed)
        if before_commit is not None:
            before_commit(len(events))
        connection.commit()
        shared.update(cache)
    occurred = [event["occurred_at"] for event in events]
    batch = Batch(len(events), first, seq, occurred, utcnow(), ids)
    if on_batch is not None:
        on_batch(batch)
    return batch


def _settings(app: Flask) -> dict[str, int]:
    return app.extensions["datavagt.manifest"].data["audit"]


def run_pass(app: Flask, *, wait: bool = False, engine: Engine | None = None) -> Batch | None:
    """One batch with the app's engine (or ``engine``), keys and manifest settings."""
    from plugin.extensions import db

    settings = _settings(app)
    with app.app_context():
        return sequence_batch(
            engine or db.engine,
            app.extensions["datavagt.keyring"],
            limit=settings["sequence_batch"],
            every=settings["checkpoint_every_events"],
            wait=wait,
        )


def flush(app: Flask | None = None) -> int:
    """Chain everything queued now, waiting for a running sequencer; returns how many.

    Readers that must see the trail up to this moment call it (exports, verify, the API,
    tests). Events queued by transactions still open are not waited for.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    total = 0
    while True:
        batch = run_pass(app, wait=True)
        if batch is None or batch.count == 0:
            return total
        total += batch.count


def queued(session: Session | Connection) -> int:
    """How many committed events wait for the sequencer."""
    return int(session.execute(sa.select(sa.func.count()).select_from(QUEUE)).scalar() or 0)


class SequencerThread(threading.Thread):
    """A process's background sequencer: a pass when nudged by a commit, else every interval."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="audit-sequencer", daemon=True)
        self.app = app
        self.interval = _settings(app)["sequence_interval_ms"] / 1000
        self.wake = threading.Event()
        self.stopping = threading.Event()
        # Its own connection: a pass never queues behind requests for the app's pool.
        self.engine = _own_engine(app)

    def nudge(self) -> None:
        """A transaction just queued an event."""
        self.wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the current pass and end."""
        self.stopping.set()
        self.wake.set()
        self.join(timeout)

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.wake.wait(self.interval)
                # Let commits arriving together share one batch: fewer, larger passes cost
                # the requests less CPU than a pass per commit (bench/audit.py).
                self.stopping.wait(COALESCE_SECONDS)
                self.wake.clear()
                self._passes()
        finally:
            self.engine.dispose()

    def _passes(self) -> None:
        try:
            batch = run_pass(self.app, engine=self.engine)
            # A full batch means more is waiting: go again without sleeping.
            while batch is not None and batch.count >= _settings(self.app)["sequence_batch"]:
                batch = run_pass(self.app, engine=self.engine)
        except Exception as exc:  # noqa: BLE001 - the next pass retries; nothing is lost
            log.error("audit sequencer pass failed", extra={"error_type": type(exc).__name__})
            self.stopping.wait(self.interval)


def _own_engine(app: Flask) -> Engine:
    from plugin.database import engine_options, sqlite_pragmas

    url = app.extensions["datavagt.settings"].database_url
    options = engine_options(url)
    if not url.startswith("sqlite"):
        options.update(pool_size=1, max_overflow=0)
    engine = sa.create_engine(url, **options)
    if url.startswith("sqlite"):
        sa.event.listen(engine, "connect", sqlite_pragmas)
    return engine


_STARTING = threading.Lock()


def sequencer_for(app: Flask) -> SequencerThread:
    """This process's sequencer thread for ``app``, started on first use."""
    thread = app.extensions.get(EXTENSION)
    if thread is not None and thread.is_alive():
        return thread
    # Requests commit concurrently: without the lock several would each start a thread, and
    # only the last would be known (and stopped) by the app.
    with _STARTING:
        thread = app.extensions.get(EXTENSION)
        if thread is None or not thread.is_alive():
            thread = SequencerThread(app)
            app.extensions[EXTENSION] = thread
            thread.start()
    return thread


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """A transaction that queued events committed: sequence them (inline) or wake the thread."""
    if not session.info.pop(PENDING, False) or not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    mode = app.extensions["datavagt.settings"].audit_sequencer
    if mode == "inline":
        flush(app)
    elif mode == "thread":
        sequencer_for(app).nudge()


def sequence_job(app: Flask) -> None:
    """Scheduler entry (job ``audit_sequence``): chain what is queued if no one else is."""
    batch = run_pass(app)
    while batch is not None and batch.count >= _settings(app)["sequence_batch"]:
        batch = run_pass(app)
