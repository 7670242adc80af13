"""The group-commit writer's thread: lazy start, idle exit, shutdown drain, fork."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest.inbox import inbox_rows
from plugin.models import InboxEvent
from plugin.vendors.contract import WebhookEvent
from plugin.webhooks.writer import THREAD_NAME, InboxWriter, StoreResult


def _rows(*keys: str) -> tuple[list[dict[str, object]], int]:
    return inbox_rows(
        WebhookEvent("hubspot", key, "updated", "ticket", "7", datetime.now(UTC)) for key in keys
    )


def _stored() -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(InboxEvent)) or 0)


def test_thread_starts_lazily_and_exits_when_idle(webhook_app: Flask) -> None:
    """No thread before work; one while working; none after idle_seconds."""
    writer = InboxWriter(db.engine, idle_seconds=0.2)
    assert writer._thread is None
    assert writer.submit(*_rows("a", "b", "a")) == StoreResult(2, 1)
    thread = writer._thread
    assert thread is not None and thread.is_alive()
    thread.join(5)
    assert not thread.is_alive() and writer._thread is None
    assert writer.submit(*_rows("b", "c")) == StoreResult(1, 1)  # a new thread starts
    writer.shutdown()
    assert _stored() == 3


def test_shutdown_stores_what_was_queued(webhook_app: Flask) -> None:
    """Requests waiting when shutdown is called are committed and answered."""
    writer = InboxWriter(db.engine, max_wait=0.2)
    results: list[StoreResult] = []
    threads = [
        threading.Thread(target=lambda k=key: results.append(writer.submit(*_rows(k))))
        for key in ("x", "y", "z")
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    writer.shutdown()
    for thread in threads:
        thread.join(5)
    assert sorted(results, key=repr) == [StoreResult(1, 0)] * 3
    assert writer._thread is None and _stored() == 3


def test_empty_submission_needs_no_commit(webhook_app: Flask) -> None:
    """A request without events is answered at once and starts no thread."""
    writer = InboxWriter(db.engine)
    assert writer.submit([], 0) == StoreResult(0, 0)
    assert writer._thread is None


def test_forked_child_gets_its_own_writer(webhook_app: Flask) -> None:
    """After fork the parent's thread is gone in the child; the child's writer still works."""
    writer = InboxWriter(db.engine, idle_seconds=30)
    assert writer.submit(*_rows("parent")) == StoreResult(1, 0)
    assert writer._thread is not None
    pid = os.fork()
    if pid == 0:  # the child: report through the exit code only
        code = 1
        try:
            fresh = writer._thread is None
            code = 0 if fresh and writer.submit(*_rows("child")) == StoreResult(1, 0) else 2
            writer.shutdown()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert writer._thread is not None  # the parent's thread is untouched
    assert writer.submit(*_rows("parent", "child")) == StoreResult(0, 2)
    writer.shutdown()


def test_no_wait_when_no_request_is_on_its_way(webhook_app: Flask) -> None:
    """A long max_wait costs nothing when nobody else is coming."""
    writer = InboxWriter(db.engine, max_wait=5.0)
    started = time.monotonic()
    assert writer.submit(*_rows("solo")) == StoreResult(1, 0)
    assert time.monotonic() - started < 2.0
    writer.shutdown()


def test_batch_waits_for_an_announced_request(webhook_app: Flask) -> None:
    """A batch stays open while an announced request parses, and closes when it leaves."""
    writer = InboxWriter(db.engine, max_wait=5.0)
    commits: list[int] = []
    hook = lambda _conn: commits.append(1)  # noqa: E731 - a one-line engine hook
    sa.event.listen(db.engine, "commit", hook)
    done: list[StoreResult] = []
    try:
        with writer.arriving() as late, writer.arriving() as refused:
            first = threading.Thread(target=lambda: done.append(writer.submit(*_rows("one"))))
            first.start()
            time.sleep(0.3)
            assert done == []  # waiting for the two announced requests
            second = threading.Thread(target=lambda: done.append(late.submit(*_rows("two"))))
            second.start()
            time.sleep(0.3)
            assert done == []  # still one on its way
            refused.leave()  # e.g. its signature was wrong: the batch commits now
            first.join(5)
            second.join(5)
    finally:
        sa.event.remove(db.engine, "commit", hook)
    assert done == [StoreResult(1, 0)] * 2 and len(commits) == 1
    assert writer._arriving == 0
    writer.shutdown()


def test_work_queued_behind_a_stop_is_stored(webhook_app: Flask) -> None:
    """A request submitted while shutdown waits is still committed and answered."""
    writer = InboxWriter(db.engine, timeout=5.0)
    gate, entered = threading.Event(), threading.Event()

    def hold(_conn: object) -> None:
        if threading.current_thread().name == THREAD_NAME and not gate.is_set():
            entered.set()
            gate.wait(10)

    sa.event.listen(db.engine, "commit", hold)
    results: list[StoreResult] = []
    try:
        first = threading.Thread(target=lambda: results.append(writer.submit(*_rows("a"))))
        first.start()
        assert entered.wait(5)  # the writer is inside the first commit
        stopper = threading.Thread(target=writer.shutdown)
        stopper.start()
        time.sleep(0.1)  # the stop is queued
        late = threading.Thread(target=lambda: results.append(writer.submit(*_rows("b"))))
        late.start()
        time.sleep(0.1)
        gate.set()
        for thread in (first, stopper, late):
            thread.join(10)
    finally:
        gate.set()
        sa.event.remove(db.engine, "commit", hold)
    assert results == [StoreResult(1, 0)] * 2 and _stored() == 2
