"""Crash and scale-out: worker processes on one PostgreSQL, against the simulator over HTTP.

PostgreSQL only (skipped on SQLite): they prove row locks with SKIP LOCKED and leases
across processes, which is what production scale-out runs on.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, OutboxJob, Ticket
from plugin.retention import outbox
from plugin.retention.sweep import sweep
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.retention.conftest import StatusLog, freshdesk_settings, seed, start_freshdesk
from tests.retention.workers import done_count, finish, spawn, wait_for, write_config

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]
DUE, FRESH = 1000, 200


@pytest.fixture
def pg_url(database_url: str) -> str:
    """The test's database, when it is PostgreSQL."""
    if database_url.startswith("sqlite"):
        pytest.skip("multi-process row locking is tested on PostgreSQL")
    return database_url


@pytest.fixture
def sim() -> Iterator[tuple[FreshdeskSimulator, StatusLog]]:
    """A simulator with a high limit and a little latency, so a sweep takes a while."""
    simulator, log = start_freshdesk(latency=0.005)
    yield simulator, log
    simulator.stop()


def _setup(
    make_app: Callable[..., Flask], pg_url: str, tmp_path: Path, sim: FreshdeskSimulator, **extra
) -> tuple[Flask, Path]:
    settings = {
        "retention_backoff_base": 0.05,
        "retention_backoff_max": 0.5,
        "retention_idle_sleep": 0.05,
        "retention_lease_seconds": 3,
        "retention_threads": 4,
        **extra,
    }
    app = make_app(freshdesk=freshdesk_settings(sim), **settings)
    config = write_config(
        tmp_path / "worker.yaml",
        pg_url,
        str(tmp_path / "datavagt.keys"),
        freshdesk=freshdesk_settings(sim),
        **settings,
    )
    return app, config


def _assert_exactly_once(log: StatusLog, due: list[Ticket], fresh: list[Ticket]) -> None:
    twice = [t.external_id for t in due if log.deletes(int(t.external_id)) != 1]
    assert twice == [], f"{len(twice)} due tickets not deleted exactly once"
    touched = [t.external_id for t in fresh if log.counts_for(int(t.external_id))]
    assert touched == [], "a ticket that was not due was touched"
    assert outbox.counts()["done"] == DUE
    assert db.session.query(Ticket).filter(Ticket.deleted_at.is_not(None)).count() == DUE
    assert db.session.query(AuditEvent).filter_by(action="retention_delete").count() == DUE


def test_sigkill_mid_sweep_then_restart_deletes_each_due_ticket_once(
    make_app: Callable[..., Flask], pg_url: str, tmp_path: Path, sim: tuple
) -> None:
    simulator, log = sim
    app, config = _setup(make_app, pg_url, tmp_path, simulator)
    with app.app_context():
        due, fresh = seed(simulator, due=DUE, fresh=FRESH)
        assert sweep().enqueued == DUE

        first = spawn(config)
        assert wait_for(lambda: done_count(pg_url) >= 250, timeout=40), finish(first, 1)[2]
        first.send_signal(signal.SIGKILL)  # mid-sweep: jobs are leased and calls in flight
        first.wait()
        assert done_count(pg_url) < DUE

        second = spawn(config, "--until-idle")
        code, _, err = finish(second, timeout=60)
        assert code == 0, err
        db.session.expire_all()
        _assert_exactly_once(log, due, fresh)


def test_three_workers_with_faults_delete_each_due_ticket_once(
    make_app: Callable[..., Flask], pg_url: str, tmp_path: Path, sim: tuple
) -> None:
    simulator, log = sim
    app, config = _setup(make_app, pg_url, tmp_path, simulator, retention_threads=3)
    with app.app_context():
        due, fresh = seed(simulator, due=DUE, fresh=FRESH)
        assert sweep().enqueued == DUE
        simulator.configure(fail_rate=0.10, fail_status=503)
        stop = threading.Event()

        def flip() -> None:
            # One fault in five is a 429 (with Retry-After), the rest 503s.
            tick = 0
            while not stop.wait(0.1):
                tick += 1
                simulator.configure(fail_status=429 if tick % 5 == 0 else 503)

        flipper = threading.Thread(target=flip, daemon=True)
        flipper.start()
        workers = [spawn(config, "--until-idle") for _ in range(3)]
        results = [finish(w, timeout=150) for w in workers]
        stop.set()
        flipper.join()
        simulator.configure(fail_rate=0.0)
        assert all(code == 0 for code, _, _ in results), [err for _, _, err in results]
        # Every process did part of the work (they shared the queue, none took it all).
        assert all(json.loads(out).get("done", 0) > 0 for _, out, _ in results)
        assert log.total(503) > 0 and log.total(429) > 0  # the faults really happened
        db.session.expire_all()
        _assert_exactly_once(log, due, fresh)
        assert db.session.query(OutboxJob).filter_by(status="dead").count() == 0
