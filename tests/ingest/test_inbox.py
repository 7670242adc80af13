"""The inbox: duplicates ignored, leases, reclaiming expired leases, retries, parking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest import inbox
from plugin.ingest.processor import drain, process_event, run_once
from plugin.ingest.settings import ingest_settings
from plugin.models import Finding, InboxEvent
from plugin.models.types import utcnow
from plugin.vendors.contract import WebhookEvent
from plugin.webhooks.inbox import store_events


def _event(object_id: str, key: str | None = None, vendor: str = "freshdesk") -> WebhookEvent:
    return WebhookEvent(
        vendor=vendor,
        event_key=key or f"ticket:{object_id}:created",
        kind="created",
        object_type="ticket",
        object_id=object_id,
    )


def _ticket(sims: dict[str, Any], text: str = "Mit CPR er 010190-1234") -> int:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    return sim.add_ticket("Hjælp", text, contact, notify=False)


def test_claim_leases_each_event_once(ingest_app: Flask, sims: dict) -> None:
    settings = ingest_settings()
    store_events([_event(str(i)) for i in range(5)])
    assert store_events([_event("0")]).duplicates == 1
    first = inbox.claim("w1", settings, limit=3)
    second = inbox.claim("w2", settings, limit=10)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert inbox.claim("w3", settings) == []
    row = db.session.get(InboxEvent, first[0])
    assert row.status == "processing" and row.locked_by == "w1" and row.attempts == 1


def test_expired_lease_is_reclaimed(ingest_app: Flask, sims: dict) -> None:
    settings = ingest_settings()
    tid = _ticket(sims)
    store_events([_event(str(tid))])
    [event_id] = inbox.claim("dead-worker", settings)
    # The worker died: nothing happens until the lease runs out.
    assert inbox.claim("w2", settings) == []
    db.session.execute(sa.update(InboxEvent).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert inbox.claim("w2", settings) == [event_id]
    assert process_event(event_id, settings) == "ok"
    row = db.session.get(InboxEvent, event_id)
    assert row.status == "done" and row.attempts == 2 and row.locked_by is None
    assert "010190-1234" not in sims["freshdesk"].tickets[tid]["description"]


def test_failures_back_off_then_park_with_safe_error(
    make_app: Any, sims: dict, tmp_path: Any
) -> None:
    from tests.ingest.conftest import vendor_settings, write_manifest

    manifest = write_manifest(
        tmp_path, max_attempts=3, backoff_seconds=0.01, backoff_cap_seconds=0.02
    )
    app = make_app(manifest=manifest, **vendor_settings(sims))
    with app.app_context():
        settings = ingest_settings()
        tid = _ticket(sims)
        sims["freshdesk"].configure(fail_rate=1.0, fail_status=500)
        store_events([_event(str(tid))])
        statuses = []
        for _ in range(3):
            db.session.execute(sa.update(InboxEvent).values(next_attempt_at=utcnow()))
            db.session.commit()
            [event_id] = inbox.claim("w", settings)
            statuses.append(process_event(event_id, settings))
        assert statuses == ["pending", "pending", "parked"]
        row = db.session.get(InboxEvent, event_id)
        assert row.status == "parked" and row.attempts == 3
        assert row.last_error.startswith("AdapterError: freshdesk:")
        assert "HTTP 500" in row.last_error
        assert "jens" not in row.last_error.lower() and "010190" not in row.last_error
        assert inbox.claim("w", settings) == []  # parked stays parked

        sims["freshdesk"].configure(fail_rate=0.0)
        assert inbox.retry_parked([event_id]) == 1
        assert drain(settings) == 1
        assert db.session.get(InboxEvent, event_id).status == "done"


def test_backoff_grows_and_is_capped(ingest_app: Flask) -> None:
    settings = ingest_settings().__class__(backoff_seconds=5, backoff_cap_seconds=60)
    import plugin.ingest.inbox as module

    original = module._jitter
    module._jitter = lambda: 1.0  # pin the randomness (its own function for this)
    try:
        assert [inbox.backoff(n, settings) for n in (1, 2, 3, 4, 5, 10)] == [5, 10, 20, 40, 60, 60]
    finally:
        module._jitter = original


def test_unconfigured_vendor_and_unknown_exception_text(ingest_app: Flask) -> None:
    settings = ingest_settings()
    store_events([_event("1", vendor="zendesk")])
    [event_id] = inbox.claim("w", settings)
    assert process_event(event_id, settings) == "pending"
    row = db.session.get(InboxEvent, event_id)
    assert row.last_error == "IngestError: vendor 'zendesk' is not configured"
    from plugin.ingest.errors import safe_error

    # Foreign exceptions may quote data: only their type is kept.
    assert safe_error(ValueError("jens@example.com is bad")) == "ValueError"


def test_deleted_gone_and_contact_events(ingest_app: Flask, sims: dict) -> None:
    settings = ingest_settings()
    tid = _ticket(sims)
    store_events([_event(str(tid))])
    drain(settings)
    sims["freshdesk"].tickets[tid]["deleted"] = True  # trashed in Freshdesk: confirmed
    store_events(
        [
            WebhookEvent("freshdesk", "del", "deleted", "ticket", str(tid)),
            WebhookEvent("freshdesk", "gone", "updated", "ticket", "999999"),
            WebhookEvent("freshdesk", "contact", "updated", "contact", "5"),
        ]
    )
    assert drain(settings) == 3
    rows = {r.event_key: r for r in db.session.scalars(sa.select(InboxEvent))}
    assert all(r.status == "done" for r in rows.values())
    assert rows["gone"].last_error == "outcome: gone"
    assert rows["contact"].last_error == "outcome: skipped_object"
    from plugin.models import Ticket

    assert db.session.scalars(sa.select(Ticket)).one().deleted_at is not None


def test_echo_of_own_write_is_skipped(ingest_app: Flask, sims: dict) -> None:
    settings = ingest_settings()
    sim = sims["freshdesk"]
    tid = _ticket(sims)
    store_events([_event(str(tid))])
    drain(settings)
    puts = sim.count("PUT", "/api/v2/tickets/{id}")
    findings = db.session.scalar(sa.select(sa.func.count()).select_from(Finding))
    # The webhook our PUT triggers carries the updated_at our PUT returned.
    stamp = sim.tickets[tid]["updated_at"]
    import json

    from adapters.freshdesk.webhook import parse

    body = json.dumps(
        {"freshdesk_webhook": {"ticket_id": str(tid), "ticket_updated_at": stamp}}
    ).encode()
    store_events(parse(body))
    assert run_once(settings) == 1
    row = db.session.scalars(sa.select(InboxEvent).order_by(InboxEvent.id.desc())).first()
    assert row.last_error == "outcome: own_change"
    assert sim.count("PUT", "/api/v2/tickets/{id}") == puts
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == findings


def test_enqueue_batches_and_ignores_duplicates(ingest_app: Flask) -> None:
    events = [_event(str(i)) for i in range(10)]
    assert inbox.enqueue(events + [_event("3")]) == (10, 1)  # a repeat inside the batch
    db.session.commit()
    assert inbox.enqueue([_event("3"), _event("42")]) == (1, 1)
    assert inbox.enqueue([]) == (0, 0)
    db.session.commit()
    rows = db.session.scalars(sa.select(InboxEvent)).all()
    assert len(rows) == 11 and {r.status for r in rows} == {"pending"}
    assert rows[0].payload["object_id"] == rows[0].object_id
    assert len(inbox.claim("w", ingest_settings(), limit=100)) == 11
