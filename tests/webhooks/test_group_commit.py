"""Group commit over real HTTP: own counts per request, answers only after the commit, 503."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from adapters.hubspot.signature import sign_v3
from plugin.extensions import db
from plugin.models import InboxEvent
from plugin.webhooks.inbox import inbox_writer
from simulators.common.server import SimulatorServer
from tests.webhooks.conftest import PUBLIC_URL

SECRET = "hs-secret"
# One occurrence time for every event: HubSpot's event key includes it.
OCCURRED = int(time.time() * 1000)


def _signed(ids: list[int]) -> tuple[bytes, dict[str, str]]:
    now = int(time.time() * 1000)
    body = json.dumps(
        [
            {
                "eventId": i,
                "subscriptionId": 7,
                "portalId": 1,
                "appId": 2,
                "occurredAt": OCCURRED,
                "subscriptionType": "ticket.propertyChange",
                "attemptNumber": 0,
                "objectId": 500 + i,
                "propertyName": "content",
                "changeSource": "CRM_UI",
            }
            for i in ids
        ]
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": "v3",
        "X-HubSpot-Request-Timestamp": str(now),
        "X-HubSpot-Signature-v3": sign_v3(
            SECRET, "POST", f"{PUBLIC_URL}/webhooks/hubspot", body, str(now)
        ),
    }
    return body, headers


@pytest.fixture
def server(webhook_app: Flask) -> Iterator[str]:
    """The sidecar over real HTTP."""
    running = SimulatorServer(webhook_app).start()
    try:
        yield running.url
    finally:
        running.stop()


def _stored() -> int:
    # A connection of its own: only committed rows are visible to it.
    with db.engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(InboxEvent)) or 0)


def _post_all(url: str, batches: list[list[int]]) -> tuple[list[Any], list[threading.Thread]]:
    """Post each batch from its own thread, all released at once; returns answers, threads."""
    answers: list[Any] = [None] * len(batches)
    start = threading.Barrier(len(batches))

    def post(index: int) -> None:
        body, headers = _signed(batches[index])
        start.wait()
        answers[index] = requests.post(
            f"{url}/webhooks/hubspot", data=body, headers=headers, timeout=30
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(batches))]
    for thread in threads:
        thread.start()
    return answers, threads


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(30)


@contextmanager
def _grouped() -> Iterator[None]:
    """Requests posted in this block share one commit: a phantom request announced to the
    writer keeps a started batch open (bounded by max_wait) until the block ends."""
    writer = inbox_writer()
    writer.max_wait = 5.0
    with writer.arriving():
        yield
        time.sleep(1.0)  # every request of the block reaches the writer meanwhile


def _on_writer_commit(action: Callable[[], None]) -> Callable[[Any], None]:
    """An engine ``commit`` hook running ``action`` before each commit (while it is on, only
    the inbox writer commits: webhook requests write nothing else, the checks only read)."""

    def hook(_connection: Any) -> None:
        action()

    return hook


def test_concurrent_requests_get_their_own_counts(webhook_app: Flask, server: str) -> None:
    """Overlapping batches stored together: each event counted new exactly once."""
    commits: list[int] = []
    hook = _on_writer_commit(lambda: commits.append(1))
    sa.event.listen(db.engine, "commit", hook)
    try:
        # Request i carries ids 5i .. 5i+9: each overlaps its neighbours by five; the
        # last repeats one id inside its own body.
        batches = [list(range(5 * i, 5 * i + 10)) for i in range(6)]
        batches[-1].append(batches[-1][0])
        with _grouped():
            answers, threads = _post_all(server, batches)
        _join(threads)
    finally:
        sa.event.remove(db.engine, "commit", hook)
    bodies = [answer.json() for answer in answers]
    assert all(answer.status_code == 202 for answer in answers)
    for body, ids in zip(bodies, batches, strict=True):
        assert body["accepted"] + body["duplicates"] == len(ids)
    distinct = len({i for ids in batches for i in ids})
    assert sum(body["accepted"] for body in bodies) == distinct == _stored()
    assert len(commits) == 1  # one transaction for all six requests


def test_no_answer_before_the_commit(webhook_app: Flask, server: str) -> None:
    """While the writer's commit is held, no request has an answer and nothing is visible."""
    gate = threading.Event()
    entered = threading.Event()

    def hold() -> None:
        entered.set()
        gate.wait(20)

    hook = _on_writer_commit(hold)
    sa.event.listen(db.engine, "commit", hook)
    try:
        answers, threads = _post_all(server, [[1, 2], [3, 4], [5]])
        assert entered.wait(10)
        time.sleep(0.3)
        assert answers == [None, None, None]
        assert _stored() == 0
        gate.set()
        _join(threads)
    finally:
        gate.set()
        sa.event.remove(db.engine, "commit", hook)
    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert sum(answer.json()["accepted"] for answer in answers) == 5 == _stored()


def test_failed_commit_answers_503_and_stores_nothing(webhook_app: Flask, server: str) -> None:
    """A commit that fails answers every waiter 503 JSON; the vendor's retry then stores."""

    def fail() -> None:
        raise RuntimeError("injected commit failure")

    hook = _on_writer_commit(fail)
    sa.event.listen(db.engine, "commit", hook)
    try:
        answers, threads = _post_all(server, [[1, 2], [3], [4, 5]])
        _join(threads)
    finally:
        sa.event.remove(db.engine, "commit", hook)
    for answer in answers:
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "unavailable"
    assert _stored() == 0
    body, headers = _signed([1, 2, 3, 4, 5])
    retry = requests.post(f"{server}/webhooks/hubspot", data=body, headers=headers, timeout=30)
    assert retry.status_code == 202 and retry.json() == {"accepted": 5, "duplicates": 0}


def test_one_failing_batch_is_retried_request_by_request(webhook_app: Flask, server: str) -> None:
    """A failed shared commit does not fail requests that can be stored on their own."""
    failures: list[int] = []

    def fail_once() -> None:
        if not failures:
            failures.append(1)
            raise RuntimeError("injected commit failure")

    hook = _on_writer_commit(fail_once)
    sa.event.listen(db.engine, "commit", hook)
    try:
        with _grouped():
            answers, threads = _post_all(server, [[1, 2], [2, 3], [4]])
        _join(threads)
    finally:
        sa.event.remove(db.engine, "commit", hook)
    assert failures == [1]
    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert sum(answer.json()["accepted"] for answer in answers) == 4 == _stored()
