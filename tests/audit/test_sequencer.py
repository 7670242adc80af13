"""The queue and the sequencer: requests never wait for the chain, and nothing is lost.

Events sit in ``audit_queue`` until a sequencer chains them; these tests kill a sequencer
mid-batch (SIGKILL), race several of them, and commit out of id order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.audit import actions, record
from plugin.audit.chain import PG_LOCK_KEY
from plugin.audit.sequencer import flush, queued, run_pass
from plugin.audit.verify import verify_chain
from plugin.auth import Actor
from plugin.config import ROOT
from plugin.extensions import db
from plugin.models import AuditCheckpoint, AuditEvent, AuditQueued
from plugin.models.types import utcnow

AGENT = Actor(id="agent-1", role="agent")


@pytest.fixture
def quiet_app(make_app: Callable[..., Flask]) -> Flask:
    """An app whose commits only queue: the test decides when a sequencer runs."""
    application = make_app(audit_sequencer="off")
    with application.app_context():
        yield application


def _queue(count: int, actor: Actor = AGENT, start: int = 0) -> None:
    for index in range(start, start + count):
        record(actions.VIEW, actor=actor, details={"n": index})
        db.session.commit()


def _chained() -> list[tuple[int, str, int]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.actor_id, AuditEvent.details).order_by(AuditEvent.seq)
    ).all()
    return [(seq, actor, details["n"]) for seq, actor, details in rows]


def _verified(app: Flask) -> int:
    return verify_chain(db.session, app.extensions["datavagt.keyring"]).events


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_commit_queues_and_flush_chains(quiet_app: Flask) -> None:
    _queue(3)
    assert _chained() == [] and queued(db.session) == 3
    assert flush(quiet_app) == 3
    assert _chained() == [(1, "agent-1", 0), (2, "agent-1", 1), (3, "agent-1", 2)]
    assert queued(db.session) == 0 and _verified(quiet_app) == 3


def test_batch_signs_the_checkpoint_that_falls_in_it(quiet_app: Flask) -> None:
    every = quiet_app.extensions["datavagt.manifest"].data["audit"]["checkpoint_every_events"]
    _queue(every + 1)
    flush(quiet_app)
    signed = db.session.scalars(sa.select(AuditCheckpoint.seq)).all()
    assert signed == [every]
    assert _verified(quiet_app) == every + 1


def test_rolled_back_request_leaves_nothing_queued(quiet_app: Flask) -> None:
    record(actions.ERASE, actor=AGENT, subject_id="s-1")
    db.session.rollback()
    assert queued(db.session) == 0 and flush(quiet_app) == 0


def test_request_does_not_wait_for_a_sequencer_holding_the_chain(quiet_app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer per file: a request waits for any writer there")
    with db.engine.connect() as holder:
        holder.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": PG_LOCK_KEY})
        started = time.monotonic()
        _queue(5)  # would block here if record() still took the chain lock
        assert time.monotonic() - started < 2
        # Another would-be sequencer sees the leader and steps back instead of waiting.
        assert run_pass(quiet_app) is None
        holder.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
        holder.commit()
    assert flush(quiet_app) == 5 and _verified(quiet_app) == 5


def test_lower_id_committed_later_is_chained_next_pass(quiet_app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers are serialised: ids commit in order there")
    slow = db.engine.connect()
    slow_actor = Actor(id="slow", role="agent")
    try:
        slow.execute(
            sa.insert(AuditQueued),
            {
                "occurred_at": utcnow(),
                "actor_id": slow_actor.id,
                "action": actions.VIEW,
                "source": "api",
                "details": {"n": 99},
            },
        )  # takes the lower id, commits last
        _queue(2)
        assert flush(quiet_app) == 2
        slow.commit()
    finally:
        slow.close()
    assert flush(quiet_app) == 1
    assert _chained() == [(1, "agent-1", 0), (2, "agent-1", 1), (3, "slow", 99)]
    assert _verified(quiet_app) == 3


def test_sigkill_mid_batch_loses_nothing(quiet_app: Flask, database_url: str) -> None:
    key_file = str(quiet_app.extensions["datavagt.keyring"].path)
    _queue(10)
    flush(quiet_app)
    _queue(50, start=10)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.audit.sequencer_proc", database_url, key_file, "hang"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        line = process.stdout.readline().decode()  # type: ignore[union-attr]
        assert line.strip() == "BATCH 50", process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        # The batch is written, its queue rows deleted, not committed: kill it there.
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert [n for _, _, n in _chained()] == list(range(10))
    assert queued(db.session) == 50
    assert flush(quiet_app) == 50  # the next sequencer takes over at once
    assert _chained() == [(seq, "agent-1", seq - 1) for seq in range(1, 61)]
    assert _verified(quiet_app) == 60


def test_racing_sequencers_and_writers(quiet_app: Flask, database_url: str) -> None:
    key_file = str(quiet_app.extensions["datavagt.keyring"].path)
    sequencers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.audit.sequencer_proc", database_url, key_file]
            + ["loop", "8"],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    # Writers in their own processes, each with its background sequencer thread racing too.
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.audit.writer", database_url, key_file, "40", f"p{n}"],
            cwd=ROOT,
            env=_env(),
            stderr=subprocess.PIPE,
        )
        for n in range(3)
    ]
    errors: list[BaseException] = []

    def passes() -> None:  # a third sequencer in this process
        with quiet_app.app_context():
            try:
                for _ in range(100):
                    run_pass(quiet_app)
                    time.sleep(0.01)
            except BaseException as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)

    local = threading.Thread(target=passes)
    local.start()
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr.decode()[-2000:]
    chained_by = []
    for process in sequencers:
        out, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()[-2000:]
        chained_by.append(int(out.decode().split()[-1]))
    local.join()
    assert errors == []
    flush(quiet_app)
    events = _chained()
    assert [seq for seq, _, _ in events] == list(range(1, 121))
    assert sorted((actor, n) for _, actor, n in events) == sorted(
        (f"p{p}", n) for p in range(3) for n in range(40)
    )
    assert queued(db.session) == 0 and _verified(quiet_app) == 120
    assert sum(chained_by) <= 120


def test_thread_mode_chains_within_the_interval(make_app: Callable[..., Flask]) -> None:
    app = make_app(audit_sequencer="thread")
    with app.app_context():
        _queue(5)
        deadline = time.monotonic() + 1.0  # the README's bound
        while _chained() != [(n + 1, "agent-1", n) for n in range(5)]:
            assert time.monotonic() < deadline, "not chained within 1 s"
            time.sleep(0.02)
        app.extensions["datavagt.audit_sequencer"].stop()
        assert _verified(app) == 5


def test_cli_flush_and_verify_include_queued(
    quiet_app: Flask, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from plugin.cli.main import cli

    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(quiet_app.extensions["datavagt.keyring"].path))
    _queue(4)
    result = CliRunner().invoke(cli, ["audit", "verify"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "4 events verified" in result.output
    _queue(2, start=4)
    result = CliRunner().invoke(cli, ["audit", "flush"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip() == "2 queued events chained"
    assert queued(db.session) == 0
