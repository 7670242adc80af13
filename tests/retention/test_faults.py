"""Vendor down for a while: jobs back off, wait, and complete when it returns."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask

from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.retention import outbox
from plugin.retention.dispatcher import Dispatcher
from plugin.retention.sweep import sweep
from tests.retention.conftest import FAST, freshdesk_settings, seed


def test_jobs_wait_out_an_outage_and_complete(retention_app: Flask, freshdesk: tuple) -> None:
    sim, log = freshdesk
    due, _ = seed(sim, due=20, fresh=0)
    sweep()
    sim.configure(fail_rate=1.0, fail_status=503)  # down: every call answers 503
    # Longer than the HTTP client's own retries (about 4-7.5 s): the jobs must back off too.
    threading.Timer(9.0, lambda: sim.configure(fail_rate=0.0)).start()
    started = time.monotonic()
    stats = Dispatcher(retention_app, threads=4).run_until_idle(timeout=50)
    assert time.monotonic() - started >= 8.5  # they really waited for the vendor
    assert log.total(503) > 0
    assert stats.counts["pending"] > 0  # attempts failed and were rescheduled with backoff
    assert outbox.counts()["done"] == 20 and outbox.counts()["dead"] == 0
    assert all(log.deletes(int(t.external_id)) == 1 for t in due)
    retried = db.session.query(OutboxJob).filter(OutboxJob.attempts > 1).count()
    assert retried > 0


def test_a_permanently_failing_job_is_dead_lettered_after_max_attempts(
    make_app: Callable[..., Flask], freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    app = make_app(freshdesk=freshdesk_settings(sim), retention_max_attempts=2, **FAST)
    with app.app_context():
        seed(sim, due=1, fresh=0)
        sweep()
        sim.configure(fail_rate=1.0, fail_status=503)
        Dispatcher(app, threads=1).run_until_idle(timeout=50)
        job = db.session.query(OutboxJob).one()
        assert (job.status, job.attempts) == ("dead", 2)
        assert "HTTP 503" in job.last_error
