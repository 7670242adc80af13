"""``datavagt inbox``, ``inbox retry`` and ``backfill`` against a real database and simulator."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.ingest.backfill import enqueue_backfill
from plugin.ingest.processor import drain
from plugin.ingest.settings import ingest_settings
from plugin.models import Finding, InboxEvent, Ticket
from plugin.vendors.contract import WebhookEvent
from plugin.webhooks.inbox import store_events
from tests.ingest.conftest import vendor_settings


def _env(app: Flask, sims: dict[str, Any]) -> dict[str, str]:
    settings = app.extensions["datavagt.settings"]
    env = {
        "DATAVAGT_DATABASE_URL": settings.database_url,
        "DATAVAGT_KEY_FILE": str(settings.key_file),
        "DATAVAGT_MANIFEST": str(settings.manifest),
        "DATAVAGT_SCHEDULER": "off",
    }
    for vendor, values in vendor_settings(sims).items():
        for key, value in values.items():
            env[f"DATAVAGT_{vendor.upper()}_{key.upper()}"] = value
    return env


def _run(app: Flask, sims: dict[str, Any], *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=_env(app, sims), catch_exceptions=False)


def test_inbox_lists_and_retries(ingest_app: Flask, sims: dict) -> None:
    store_events(
        [
            WebhookEvent("freshdesk", f"ticket:{i}:created", "created", "ticket", str(i))
            for i in (1, 2)
        ]
    )
    db.session.execute(
        sa.update(InboxEvent)
        .where(InboxEvent.object_id == "2")
        .values(status="parked", attempts=8, last_error="AdapterError: freshdesk: boom (HTTP 500)")
    )
    db.session.commit()
    text = _run(ingest_app, sims, "inbox")
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0].split() == [
        "ID", "VENDOR", "EVENT_KEY", "KIND", "STATUS", "ATTEMPTS", "NEXT_ATTEMPT", "ERROR",
    ]  # fmt: skip
    assert "parked" in lines[1] and "AdapterError: freshdesk: boom (HTTP 500)" in lines[1]
    assert "pending" in lines[2]

    out = _run(ingest_app, sims, "inbox", "--status", "parked", "--format", "json")
    data = json.loads(out.output)
    assert [e["event_key"] for e in data["events"]] == ["ticket:2:created"]
    assert data["events"][0]["attempts"] == 8 and data["counts"] == {"parked": 1, "pending": 1}

    bad = _run(ingest_app, sims, "inbox", "retry")
    assert bad.exit_code == 1 and "--all-parked" in bad.output
    missing = _run(ingest_app, sims, "inbox", "retry", "--id", "1")
    assert missing.exit_code == 1 and "not parked" in missing.output
    ok = _run(ingest_app, sims, "inbox", "retry", "--all-parked")
    assert ok.exit_code == 0 and "requeued 1 event(s)" in ok.output
    db.session.expire_all()
    row = db.session.scalars(sa.select(InboxEvent).where(InboxEvent.object_id == "2")).one()
    assert row.status == "pending" and row.attempts == 0
    assert _run(ingest_app, sims, "inbox", "--status", "nope").exit_code == 2
    assert _run(ingest_app, sims, "inbox", "--status", "done").output.strip() == "no events"


def test_backfill_across_pages_is_idempotent(ingest_app: Flask, sims: dict) -> None:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    ids = [
        sim.add_ticket(f"Sag {i}", f"Ring til mig på 20 12 34 {i:02d}", contact, notify=False)
        for i in range(65)
    ]
    # The adapter's page size is a constructor option; 30 makes three pages of 65 tickets.
    adapter = ingest_app.extensions["datavagt.adapters"]["freshdesk"]
    adapter.per_page = 30
    result = enqueue_backfill(adapter, datetime(2020, 1, 1, tzinfo=UTC))
    assert (result.seen, result.enqueued, result.duplicates) == (65, 65, 0)
    assert sim.count("GET", "/api/v2/tickets") == 3
    # Unchanged tickets give the same event keys: nothing is queued twice.
    repeat = enqueue_backfill(adapter, datetime(2020, 1, 1, tzinfo=UTC))
    assert (repeat.enqueued, repeat.duplicates) == (0, 65)
    assert drain(ingest_settings()) == 65
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 65
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 65
    assert all("[phone" in sim.tickets[i]["description"] for i in ids)


def test_backfill_command(ingest_app: Flask, sims: dict) -> None:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    ids = [sim.add_ticket(f"Sag {i}", "CPR 010190-1234", contact, notify=False) for i in range(3)]
    result = _run(ingest_app, sims, "backfill", "freshdesk", "--since", "2020-01-01")
    assert result.exit_code == 0, result.output
    assert "3 ticket(s) seen, 3 enqueued, 0 already queued" in result.output
    assert "3 event(s) processed" in result.output
    assert all("[CPR" in sim.tickets[i]["description"] for i in ids)
    # Again: our write changed updated_at, so new events, but nothing new is found or written.
    puts = sim.count("PUT", "/api/v2/tickets/{id}")
    again = _run(ingest_app, sims, "backfill", "freshdesk", "--since", "2020-01-01")
    assert again.exit_code == 0 and "3 enqueued" in again.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 3
    assert sim.count("PUT", "/api/v2/tickets/{id}") == puts


def test_backfill_errors(ingest_app: Flask, sims: dict, tmp_path: Path) -> None:
    unknown = _run(ingest_app, sims, "backfill", "zendesk", "--since", "2020-01-01")
    assert unknown.exit_code == 1 and "not configured" in unknown.output
    bad_date = _run(ingest_app, sims, "backfill", "freshdesk", "--since", "yesterday")
    assert bad_date.exit_code == 2
    sims["freshdesk"].configure(fail_rate=1.0, fail_status=401)
    down = _run(ingest_app, sims, "backfill", "freshdesk", "--since", "2020-01-01")
    assert down.exit_code == 1 and "backfill stopped" in down.output


def test_worker_once(ingest_app: Flask, sims: dict) -> None:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    tid = sim.add_ticket("x", "CPR 010190-1234", contact, notify=False)
    store_events([WebhookEvent("freshdesk", "k", "created", "ticket", str(tid))])
    result = _run(ingest_app, sims, "worker", "--once")
    assert result.exit_code == 0 and "processed 1 event(s)" in result.output
    assert "[CPR" in sim.tickets[tid]["description"]
    assert _run(ingest_app, sims, "worker", "--poll", "every 5s").exit_code == 1
