"""The group-commit writer: no thread of its own, waits only for announced requests, fork,
its kept connection."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest.inbox import inbox_rows
from plugin.models import InboxEvent
from plugin.vendors.contract import WebhookEvent
from plugin.webhooks.writer import InboxWriter, StoreResult, StoreUnavailable


def _rows(*keys: str) -> tuple[list[dict[str, object]], int]:
    return inbox_rows(
        WebhookEvent("hubspot", key, "updated", "ticket", "7", datetime.now(UTC)) for key in keys
    )


def _stored() -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(InboxEvent)) or 0)


@contextmanager
def _on_commit(action: Callable[[], None]) -> Iterator[None]:
    def hook(_connection: object) -> None:
        action()

    sa.event.listen(db.engine, "commit", hook)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "commit", hook)


def _in_thread(results: list[StoreResult], writer: InboxWriter, *keys: str) -> threading.Thread:
    thread = threading.Thread(target=lambda: results.append(writer.submit(*_rows(*keys))))
    thread.start()
    return thread


def test_a_lone_request_commits_in_its_own_thread(webhook_app: Flask) -> None:
    """No thread is started: with nobody else around the request itself commits."""
    writer = InboxWriter(db.engine, max_wait=5.0)
    committers: list[threading.Thread] = []
    before = threading.active_count()
    started = time.monotonic()
    with _on_commit(lambda: committers.append(threading.current_thread())):
        assert writer.submit(*_rows("a", "b", "a")) == StoreResult(2, 1)
    assert time.monotonic() - started < 2.0  # a long max_wait costs nothing when alone
    assert committers == [threading.current_thread()]
    assert threading.active_count() == before and _stored() == 2
    assert writer.submit([], 0) == StoreResult(0, 0)  # nothing to store: no commit at all
    assert len(committers) == 1


def test_batch_waits_for_an_announced_request(webhook_app: Flask) -> None:
    """A batch stays open while an announced request parses, and closes when it leaves."""
    writer = InboxWriter(db.engine, max_wait=5.0)
    commits: list[int] = []
    done: list[StoreResult] = []
    with _on_commit(lambda: commits.append(1)):
        with writer.arriving() as late, writer.arriving() as refused:
            first = _in_thread(done, writer, "one")
            time.sleep(0.3)
            assert done == []  # waiting for the two announced requests
            second = threading.Thread(target=lambda: done.append(late.submit(*_rows("two"))))
            second.start()
            time.sleep(0.3)
            assert done == []  # still one on its way
            refused.leave()  # e.g. its signature was wrong: the batch commits now
            first.join(5)
            second.join(5)
    assert done == [StoreResult(1, 0)] * 2 and len(commits) == 1
    assert writer._arriving == 0


class _Gate:
    """Holds the first commit inside it until opened, so later requests queue meanwhile."""

    def __init__(self) -> None:
        self.opened, self.entered = threading.Event(), threading.Event()

    def hold(self) -> None:
        if not self.opened.is_set():
            self.entered.set()
            self.opened.wait(10)


def test_requests_queued_during_a_commit_are_led_by_the_next(webhook_app: Flask) -> None:
    """While a leader commits, later requests queue; one of them leads the next batch."""
    writer = InboxWriter(db.engine)
    gate = _Gate()
    committers: list[str] = []

    def hold() -> None:
        committers.append(threading.current_thread().name)
        gate.hold()

    results: list[StoreResult] = []
    with _on_commit(hold):
        first = _in_thread(results, writer, "a")
        assert gate.entered.wait(5)  # the first request is inside its commit
        queued = [_in_thread(results, writer, key) for key in ("b", "c", "d")]
        time.sleep(0.2)
        gate.opened.set()
        for thread in (first, *queued):
            thread.join(10)
    assert results == [StoreResult(1, 0)] * 4 and _stored() == 4
    assert committers[0] == first.name and len(committers) == 2
    assert committers[1] in {thread.name for thread in queued}
    writer.shutdown()
    assert not writer._leading


def test_shutdown_waits_for_queued_requests(webhook_app: Flask) -> None:
    """Requests in progress when shutdown is called are committed and answered first."""
    writer = InboxWriter(db.engine, timeout=5.0)
    gate = _Gate()
    results: list[StoreResult] = []
    with _on_commit(gate.hold):
        first = _in_thread(results, writer, "a")
        assert gate.entered.wait(5)
        late = _in_thread(results, writer, "b")
        stopper = threading.Thread(target=writer.shutdown)
        stopper.start()
        time.sleep(0.2)
        assert stopper.is_alive()  # still waiting for the two requests
        gate.opened.set()
        for thread in (first, late, stopper):
            thread.join(10)
    assert results == [StoreResult(1, 0)] * 2 and _stored() == 2
    assert not writer._leading


def test_a_follower_times_out_with_503_and_leaves_the_queue(webhook_app: Flask) -> None:
    """A request not answered within the timeout gets StoreUnavailable, others go on."""
    writer = InboxWriter(db.engine, timeout=0.3)
    gate = _Gate()
    results: list[StoreResult] = []
    with _on_commit(gate.hold):
        first = _in_thread(results, writer, "a")
        assert gate.entered.wait(5)
        try:
            writer.submit(*_rows("b"))
            raise AssertionError("expected StoreUnavailable")
        except StoreUnavailable:
            pass
        gate.opened.set()
        first.join(10)
    assert results == [StoreResult(1, 0)] and _stored() == 1  # "b" was never stored
    assert writer.submit(*_rows("b")) == StoreResult(1, 0)  # the vendor's retry


def test_forked_child_gets_a_fresh_writer(webhook_app: Flask) -> None:
    """Forked while a parent thread leads a batch, the child still stores on its own."""
    writer = InboxWriter(db.engine, max_wait=10.0)
    results: list[StoreResult] = []
    with writer.arriving():  # the parent's leader waits for this announced request
        first = _in_thread(results, writer, "parent")
        deadline = time.monotonic() + 5
        while not writer._leading and time.monotonic() < deadline:
            time.sleep(0.01)
        assert writer._leading and results == []
        pid = os.fork()
        if pid == 0:  # the child: report through the exit code only
            code = 1
            try:
                fresh = not writer._leading and not writer._queue and not writer._arriving
                code = 0 if fresh and writer.submit(*_rows("child")) == StoreResult(1, 0) else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    first.join(10)
    assert os.waitstatus_to_exitcode(status) == 0
    assert results == [StoreResult(1, 0)]
    assert writer.submit(*_rows("parent", "child")) == StoreResult(0, 2)


def test_connection_kept_while_fresh_and_given_back(webhook_app: Flask) -> None:
    """Batches close together share one pool checkout (no pre-ping each); after a quiet
    spell the next batch checks out (and pings) anew; shutdown gives the connection back."""
    writer = InboxWriter(db.engine)
    pool: list[str] = []
    out, back = (lambda *_: pool.append("out")), (lambda *_: pool.append("in"))
    sa.event.listen(db.engine, "checkout", out)
    sa.event.listen(db.engine, "checkin", back)
    try:
        for key in ("a", "b", "c"):
            assert writer.submit(*_rows(key)) == StoreResult(1, 0)
        assert pool == ["out"]
        writer._link.fresh_seconds = 0.05
        time.sleep(0.1)
        assert writer.submit(*_rows("d")) == StoreResult(1, 0)
        assert pool == ["out", "in", "out"]
        writer.shutdown()
        assert pool == ["out", "in", "out", "in"]
    finally:
        sa.event.remove(db.engine, "checkout", out)
        sa.event.remove(db.engine, "checkin", back)
    assert _stored() == 4


def test_a_kept_connection_that_died_is_replaced(webhook_app: Flask) -> None:
    """The server dropped the kept connection (restart, idle kill): the batch commits on a
    fresh one instead of failing, as a pool checkout's pre-ping would have ensured."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop the connection")
    writer = InboxWriter(db.engine)
    assert writer.submit(*_rows("a")) == StoreResult(1, 0)
    kept = writer._link.connection
    assert kept is not None
    pid = kept.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    kept.rollback()
    with db.engine.connect() as other:
        assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert writer.submit(*_rows("b")) == StoreResult(1, 0)
    assert writer._link.connection is not kept and _stored() == 2
