"""Group commit: concurrent webhook requests of one process share one transaction.

A webhook is answered 2xx only after its events are durably stored. A commit (an fsync on
SQLite, a WAL flush on PostgreSQL) costs more than everything else in the request, so the
requests of a moment share one. Each request queues its rows; the first one finding no
commit in progress becomes the *leader*: it takes what is queued (up to ``max_events``,
waiting at most ``max_wait`` for announced requests still parsing, never when none is
coming), inserts it with one statement, commits once, and only then gives every waiter its
own (accepted, duplicates). Requests queued meanwhile form the next batch, led by the oldest
of them once the leader's own request is answered. No extra thread: the leader's request
pays no hand-off, and nothing must be started, stopped or re-created after ``fork`` beyond
a fresh lock and queue (gunicorn workers each get their own).

When a batch's transaction fails, each request in it is retried alone so one bad request
cannot fail its neighbours; a request whose own transaction fails gets StoreUnavailable
(the route answers 503 and the vendor retries), as does one not answered in ``timeout``.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from plugin.ingest.inbox import row_key
from plugin.ingest.inbox_insert import insert_rows
from plugin.webhooks.connection import WriterConnection

log = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The events could not be stored durably; nothing of this request was committed."""


@dataclass(frozen=True)
class StoreResult:
    """How many events were new and how many were already in the inbox."""

    accepted: int
    duplicates: int


@dataclass
class _Submission:
    rows: list[dict[str, Any]]  # distinct keys, in the request's order
    given: int
    wake: threading.Event = field(default_factory=threading.Event)
    result: StoreResult | None = None
    failed: bool = False
    lead: bool = False  # woken to lead the next batch, not answered yet


class Arrival:
    """A request on its way to the writer: while it parses, a batch waits for it."""

    def __init__(self, writer: InboxWriter) -> None:
        self._writer = writer
        self._pending = True

    def submit(self, rows: list[dict[str, Any]], given: int) -> StoreResult:
        """``InboxWriter.submit`` for this request (it is no longer awaited after this)."""
        self._pending = False
        return self._writer.submit(rows, given, arrived=True)

    def leave(self) -> None:
        """The request ends without submitting (refused, malformed)."""
        if self._pending:
            self._pending = False
            self._writer._depart()


class InboxWriter:
    """Stores submitted inbox rows by group commit on ``engine``; thread-safe."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_events: int = 1000,
        max_wait: float = 0.002,
        timeout: float = 20.0,
    ) -> None:
        self.engine = engine
        self.max_events = max_events
        self.max_wait = max_wait
        self.timeout = timeout
        # Written by leaders only (one at a time): commits made and requests they answered.
        self.commits = 0
        self.committed_requests = 0
        self._reset()
        _WRITERS.add(self)

    def _reset(self) -> None:
        """Fresh state (also in a forked child, where the parent's requests do not exist)."""
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a submit or departure happened
        self._queue: deque[_Submission] = deque()
        self._leading = False
        self._arriving = 0  # announced requests that have not submitted yet
        self._link = WriterConnection(self.engine)

    @contextmanager
    def arriving(self) -> Iterator[Arrival]:
        """Announce a request that will submit: a batch being collected waits for it
        (up to ``max_wait``) instead of committing without it. No request, no wait."""
        with self._lock:
            self._arriving += 1
        arrival = Arrival(self)
        try:
            yield arrival
        finally:
            arrival.leave()

    def _depart(self) -> None:
        with self._lock:
            self._arriving -= 1
            self._changed.notify_all()

    def submit(self, rows: list[dict[str, Any]], given: int, arrived: bool = False) -> StoreResult:
        """Block until a commit holding ``rows`` succeeded; StoreUnavailable otherwise."""
        if not rows:
            if arrived:
                self._depart()
            return StoreResult(0, given)
        own = _Submission(rows, given)
        with self._lock:
            if arrived:
                self._arriving -= 1
            self._queue.append(own)
            lead = not self._leading
            self._leading = True
            self._changed.notify_all()
        deadline = time.monotonic() + self.timeout
        while True:
            if lead:
                self._lead(own)
            elif not own.wake.wait(max(deadline - time.monotonic(), 0)):
                self._give_up(own)
            lead, own.lead = own.lead, False
            own.wake.clear()
            if lead:
                continue
            if own.result is not None:
                return own.result
            raise StoreUnavailable("the inbox could not store the events")

    def _give_up(self, own: _Submission) -> None:
        """A follower's time is up: leave the queue, unless it was just made leader."""
        with self._lock:
            if own.lead or own.result is not None or own.failed:
                return  # answered or promoted while the wait ended: take that
            if own in self._queue:
                self._queue.remove(own)
        # Taken into a batch being committed: it may still commit; a retry is a duplicate.
        raise StoreUnavailable("the inbox did not confirm the commit in time")

    def _lead(self, own: _Submission) -> None:
        """Commit batches until ``own`` is answered, then hand over to the oldest waiter."""
        try:
            while own.result is None and not own.failed:
                batch = self._collect()
                if not batch:
                    break  # not reachable while ``own`` is queued; never spin
                self._store(batch, self._link)
        finally:
            # Also after an unexpected error: someone must lead the requests still queued.
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.wake.set()
                else:
                    # Idle. The connection stays for the next batch (it goes back to the
                    # pool when that comes too late to trust it without a ping).
                    self._leading = False
                    self._changed.notify_all()

    def _collect(self) -> list[_Submission]:
        """What is queued, and what announced requests submit within ``max_wait``
        (no wait when none is on its way), up to ``max_events`` rows, oldest first."""
        deadline = time.monotonic() + self.max_wait
        with self._lock:
            while self._arriving > 0 and (remaining := deadline - time.monotonic()) > 0:
                if sum(len(s.rows) for s in self._queue) >= self.max_events:
                    break
                self._changed.wait(remaining)
            batch: list[_Submission] = []
            count = 0
            while self._queue and (
                not batch or count + len(self._queue[0].rows) <= self.max_events
            ):
                batch.append(self._queue.popleft())
                count += len(batch[-1].rows)
            return batch

    def shutdown(self, timeout: float = 10.0) -> None:
        """Wait (bounded) until queued requests are stored, then give the connection back."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._leading and (remaining := deadline - time.monotonic()) > 0:
                self._changed.wait(remaining)
            if not self._leading:  # else a leader still uses it (the wait timed out)
                self._link.close()

    def _store(self, batch: list[_Submission], link: WriterConnection) -> None:
        """Commit the batch and answer its waiters; on failure retry each request alone
        (the whole batch once more first if the kept connection turns out to be dead)."""
        try:
            results = self._commit(batch, link)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the waiters
            lost = link.reused and getattr(exc, "connection_invalidated", False)
            link.close()
            if lost:
                # The kept connection had died (a server restart, an idle kill): what the
                # pool's pre-ping catches on a checkout. Once more, on a fresh connection.
                self._store(batch, link)
                return
            if len(batch) > 1:
                for submission in batch:
                    self._store([submission], link)
                return
            # The type only: driver messages may quote the values being inserted.
            log.warning("inbox commit failed", extra={"error_type": type(exc).__name__})
            batch[0].failed = True
            batch[0].wake.set()
            return
        for submission, result in zip(batch, results, strict=True):
            submission.result = result
            submission.wake.set()

    def _commit(self, batch: list[_Submission], link: WriterConnection) -> list[StoreResult]:
        """One INSERT and one commit for the batch; each request's counts after the commit."""
        rows: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for submission in batch:
            for row in submission.rows:
                key = row_key(row)
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
        connection = link.get()
        with connection.begin():
            new = insert_rows(connection, rows)
        self.commits += 1
        self.committed_requests += len(batch)
        # Committed. An event two requests carried counts as new for the earlier one only.
        results = []
        for submission in batch:
            accepted = 0
            for row in submission.rows:
                key = row_key(row)
                if key in new:
                    new.discard(key)
                    accepted += 1
            results.append(StoreResult(accepted, submission.given - accepted))
        return results


_WRITERS: weakref.WeakSet[InboxWriter] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # The parent's leader and lock holders do not exist in the child, and pooled
    # connections are the parent's: SQLAlchemy's advice is to drop them without closing.
    for writer in list(_WRITERS):
        writer._reset()
        writer.engine.dispose(close=False)


def _shutdown_all() -> None:
    for writer in list(_WRITERS):
        writer.shutdown(timeout=5.0)


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_shutdown_all)
