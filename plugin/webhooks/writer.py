"""Group commit: one writer thread per process stores concurrent webhooks in one transaction.

A webhook is answered 2xx only after its events are durably stored. A commit (an fsync on
SQLite, a WAL flush on PostgreSQL) costs more than everything else in the request, so the
requests of a moment share one: each request hands its rows to the writer and waits; the
writer takes what is queued (up to ``max_events``, waiting at most ``max_wait`` for more
after the first), inserts it with one statement, commits once, and only then gives every
waiter its own (accepted, duplicates). A request announces itself on arrival
(``arriving``), so a batch waits for requests still parsing but never when none is coming.
When the transaction fails, each request of the batch is retried alone so one bad request
cannot fail its neighbours; a request whose own transaction fails gets StoreUnavailable
(the route answers 503 and the vendor retries).

The thread starts on the first submission and stops after ``idle_seconds`` without work;
after ``fork`` the child starts with a fresh queue, lock and no thread (gunicorn workers
each get their own writer); ``shutdown`` drains the queue and is also run at exit.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from plugin.ingest.inbox import insert_rows, row_key
from plugin.webhooks.connection import WriterConnection

log = logging.getLogger(__name__)
THREAD_NAME = "datavagt-inbox-writer"


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
    future: Future[StoreResult] = field(default_factory=Future)


_STOP = object()  # queued by shutdown: the thread exits after what was queued before it
_NUDGE = object()  # queued when an announced request leaves without submitting


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
        idle_seconds: float = 2.0,
    ) -> None:
        self.engine = engine
        self.max_events = max_events
        self.max_wait = max_wait
        self.timeout = timeout
        self.idle_seconds = idle_seconds
        # Written by the writer thread only: commits made and requests they answered.
        self.commits = 0
        self.committed_requests = 0
        self._reset()
        _WRITERS.add(self)

    def _reset(self) -> None:
        """Fresh state (also in a forked child, where the parent's thread does not exist)."""
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Submission | object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._arriving = 0  # announced requests that have not submitted yet

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
            if self._thread is not None:  # a collecting writer re-checks whom it waits for
                self._queue.put(_NUDGE)

    def submit(self, rows: list[dict[str, Any]], given: int, arrived: bool = False) -> StoreResult:
        """Block until a commit holding ``rows`` succeeded; StoreUnavailable otherwise."""
        if not rows:
            if arrived:
                self._depart()
            return StoreResult(0, given)
        submission = _Submission(rows, given)
        with self._lock:
            if arrived:
                self._arriving -= 1
            # Under the lock, so an idle thread deciding to exit cannot miss this item.
            self._queue.put(submission)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
        try:
            return submission.future.result(timeout=self.timeout)
        except FutureTimeout as exc:
            # It may still commit later; the vendor's retry is then counted as a duplicate.
            raise StoreUnavailable("the inbox did not confirm the commit in time") from exc

    def shutdown(self, timeout: float = 10.0) -> None:
        """Store what is queued, then stop the thread (a later submit starts a new one)."""
        with self._lock:
            thread = self._thread
            if thread is None:
                return
            self._queue.put(_STOP)
        thread.join(timeout)

    def _run(self) -> None:
        link = WriterConnection(self.engine)
        try:
            self._loop(link)
        finally:
            link.close()
            with self._lock:
                # Also after an unexpected error: the next submit starts a new thread.
                if self._thread is threading.current_thread():
                    self._thread = None

    def _loop(self, link: WriterConnection) -> None:
        stopping = False  # after a stop: store what is queued, then exit
        while True:
            try:
                item = (
                    self._queue.get_nowait()
                    if stopping
                    else self._queue.get(timeout=self.idle_seconds)
                )
            except queue.Empty:
                with self._lock:
                    # Under the lock, so a submit either sees this thread or finds none.
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            if item is _STOP:
                stopping = True
            elif isinstance(item, _Submission):
                batch, stop = self._collect(item)
                self._store(batch, link)
                stopping = stopping or stop

    def _collect(self, first: _Submission) -> tuple[list[_Submission], bool]:
        """``first``, what is queued, and what announced requests submit within
        ``max_wait`` (no wait when none is on its way), up to ``max_events`` rows."""
        batch = [first]
        count = len(first.rows)
        deadline = time.monotonic() + self.max_wait
        while count < self.max_events:
            remaining = deadline - time.monotonic()
            wait = remaining > 0 and self._arriving > 0
            try:
                item = self._queue.get(timeout=remaining) if wait else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            if item is _NUDGE:
                continue
            assert isinstance(item, _Submission)
            batch.append(item)
            count += len(item.rows)
        return batch, False

    def _store(self, batch: list[_Submission], link: WriterConnection) -> None:
        """Commit the batch and resolve its waiters; on failure retry each request alone."""
        try:
            results = self._commit(batch, link)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the waiters
            link.close()
            if len(batch) > 1:
                for submission in batch:
                    self._store([submission], link)
                return
            # The type only: driver messages may quote the values being inserted.
            log.warning("inbox commit failed", extra={"error_type": type(exc).__name__})
            batch[0].future.set_exception(StoreUnavailable("the inbox could not store events"))
            return
        for submission, result in zip(batch, results, strict=True):
            submission.future.set_result(result)

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
    # The parent's writer thread and lock holders do not exist in the child, and pooled
    # connections are the parent's: SQLAlchemy's advice is to drop them without closing.
    for writer in list(_WRITERS):
        writer._reset()
        writer.engine.dispose(close=False)


def _shutdown_all() -> None:
    for writer in list(_WRITERS):
        writer.shutdown(timeout=5.0)


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_shutdown_all)
