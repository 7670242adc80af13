"""The demo hook and the scheduler entry point: overdue demo tickets go in one run."""

from __future__ import annotations

from flask import Flask

from plugin.extensions import db
from plugin.models import Ticket
from plugin.retention.demo import seed_due
from plugin.retention.sweep import sweep_job
from tests.retention.conftest import seed


def test_seed_due_then_sweep_job_deletes_exactly_those(
    retention_app: Flask, freshdesk: tuple
) -> None:
    sim, log = freshdesk
    _, fresh = seed(sim, due=0, fresh=4)
    refs = seed_due(retention_app, count=2)
    assert refs == [f"freshdesk:{t.external_id}" for t in fresh[:2]]
    counts = sweep_job(retention_app)
    assert counts["enqueued"] == 2 and counts["dispatch"]["done"] == 2
    db.session.expire_all()
    gone = {f"{t.vendor}:{t.external_id}" for t in db.session.query(Ticket) if t.deleted_at}
    assert gone == set(refs)
    assert sum(log.deletes(int(t.external_id)) for t in fresh) == 2
