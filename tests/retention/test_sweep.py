"""Sweep and dispatch against the Freshdesk simulator: due tickets go, others stay."""

from __future__ import annotations

from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, OutboxJob, Ticket
from plugin.retention import outbox
from plugin.retention.dispatcher import Dispatcher
from plugin.retention.evidence import verify
from plugin.retention.sweep import sweep
from tests.retention.conftest import seed


def test_sweep_deletes_due_tickets_once_and_leaves_the_rest(
    retention_app: Flask, freshdesk: tuple
) -> None:
    sim, log = freshdesk
    due, fresh = seed(sim, due=5, fresh=3)
    result = sweep()
    assert (result.due, result.enqueued) == (5, 5)
    assert sweep().enqueued == 0  # a due item is enqueued once

    stats = Dispatcher(retention_app, threads=2).run_until_idle(timeout=30)
    assert stats.counts["done"] == 5
    assert outbox.counts()["done"] == 5
    for ticket in due:
        assert log.deletes(int(ticket.external_id)) == 1
        db.session.refresh(ticket)
        assert ticket.deleted_at is not None
    for ticket in fresh:
        assert log.deletes(int(ticket.external_id)) == 0
        assert sim.tickets[int(ticket.external_id)]["deleted"] is False
    events = db.session.query(AuditEvent).filter_by(action="retention_delete").count()
    assert events == 5
    keyring = retention_app.extensions["datavagt.keyring"]
    for job in db.session.query(OutboxJob):
        claims = verify(job.evidence, keyring)
        assert claims["object_ref"] == job.target
        assert claims["result"] == "done" and claims["vendor"] == "freshdesk"


def test_dry_run_lists_without_enqueueing(retention_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    due, _fresh = seed(sim, due=2, fresh=2)
    result = sweep(dry_run=True)
    assert [line.ticket_id for line in result.planned] == [t.id for t in due]
    assert {line.rule for line in result.planned} == {"support"}
    assert {line.action for line in result.planned} == {"delete_ticket"}
    assert db.session.query(OutboxJob).count() == 0
    assert db.session.query(Ticket).filter(Ticket.retention_due_at.is_not(None)).count() == 0
