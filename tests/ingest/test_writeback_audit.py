"""Every ticket write-back leaves one ``pseudonymise`` audit event (names and counts only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from sqlalchemy.orm import Session

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.ingest import inbox
from plugin.ingest.processor import drain, run_once
from plugin.models import AuditEvent, AuditQueued, Finding, InboxEvent
from plugin.vendors.contract import WebhookEvent
from plugin.webhooks.inbox import store_events
from tests.ingest.test_cli import _env

BODY = (
    "<p>Hej, jeg hedder Jens Hansen og mit CPR er 010190-1234.</p><p>Skriv til jens@example.com</p>"
)


def _ticket(app: Flask, sims: dict[str, Any]) -> tuple[Any, int]:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    tid = sim.add_ticket("Faktura for Jens Hansen", BODY, contact, notify=False)
    return sim, tid


def _deliver(tid: int, key: str = "e1") -> None:
    event = WebhookEvent("freshdesk", key, "updated", "ticket", str(tid), datetime.now(UTC))
    assert store_events([event]).accepted == 1


def _events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "pseudonymise")
            .order_by(AuditEvent.seq)
        )
    )


def _expected_counts(tid: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in db.session.scalars(sa.select(Finding).where(Finding.written_back.is_(True))):
        counts[row.type] = counts.get(row.type, 0) + 1
    return dict(sorted(counts.items()))


def test_write_back_is_audited_without_values(ingest_app: Flask, sims: dict) -> None:
    """One event per write-back: system worker, ticket ref, fields, counts by type."""
    sim, tid = _ticket(ingest_app, sims)
    _deliver(tid)
    assert drain() == 1
    (event,) = _events()
    assert event.actor_id == "system:worker" and event.source == "worker"
    assert event.ticket_ref == f"freshdesk:{tid}" and event.subject_id
    assert event.details["fields"] == ["description", "subject"]
    assert event.details["findings"] == _expected_counts(tid)
    assert event.details["findings"]["cpr"] == 1 and event.details["restricted"] is False
    text = json.dumps(event.details, ensure_ascii=False)
    for value in ("010190-1234", "jens@example.com", "Jens", "••"):
        assert value not in text
    # Nothing new to write: no second event.
    _deliver(tid, "e2")
    assert drain() == 1 and len(_events()) == 1


def test_audit_verify_passes_after_ingest(ingest_app: Flask, sims: dict) -> None:
    """`datavagt audit verify` accepts the chain the worker appended to."""
    sim, tid = _ticket(ingest_app, sims)
    _deliver(tid)
    drain()
    db.session.remove()
    result = CliRunner().invoke(cli, ["audit", "verify"], env=_env(ingest_app, sims))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("audit chain OK")


@pytest.fixture
def fail_pseudonymise_commit_once() -> Iterator[list[int]]:
    """Make the first commit holding a pseudonymise event fail (a crash after the write)."""
    failed: list[int] = []

    def before_commit(session: Session) -> None:
        # The event is queued in this transaction (the identity map may have let it go).
        query = sa.select(AuditQueued.id).where(AuditQueued.action == "pseudonymise")
        holds = session.execute(query.limit(1)).first() is not None
        if holds and not failed:
            failed.append(1)
            raise RuntimeError("injected failure at the phase 3 commit")

    sa.event.listen(Session, "before_commit", before_commit)
    yield failed
    sa.event.remove(Session, "before_commit", before_commit)


def test_write_back_and_event_commit_together(
    ingest_app: Flask, sims: dict, fail_pseudonymise_commit_once: list[int]
) -> None:
    """Phase 3 failing rolls the event back with it; the retry audits the recovered write."""
    sim, tid = _ticket(ingest_app, sims)
    _deliver(tid)
    assert run_once() == 1
    assert fail_pseudonymise_commit_once == [1]
    assert "[CPR ••••••-••34]" in sim.tickets[tid]["description"]  # the vendor was written
    assert _events() == []  # ...but its phase 3, event included, rolled back
    row = db.session.scalars(sa.select(InboxEvent)).one()
    assert row.status == inbox.PENDING and row.attempts == 1
    db.session.execute(sa.update(InboxEvent).values(next_attempt_at=datetime.now(UTC)))
    db.session.commit()
    assert drain() == 1  # the retry: findings were kept by phase 1, the vendor has tokens
    (event,) = _events()
    assert event.details["fields"] == ["description", "subject"]
    assert event.details["findings"] == _expected_counts(tid)
    assert db.session.scalars(sa.select(InboxEvent.status)).one() == inbox.DONE
