"""Request tracking: one-month deadline, a single extension, reminders and overdue listing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.models.types import utcnow
from plugin.rights.requests import add_months, reminders
from tests.agents.helpers import bearer, events


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 31), 3, date(2027, 3, 31)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def _post(app: Flask, path: str, body: object):  # noqa: ANN202
    return app.test_client().post(path, json=body, headers=bearer(app, "dpo", agent="dpo-anne"))


def test_lifecycle(app: Flask) -> None:
    received = utcnow().date() - timedelta(days=10)
    created = _post(app, "/api/requests", {"kind": "access", "received_on": received.isoformat()})
    assert created.status_code == 201
    row = created.get_json()
    assert row["due_on"] == add_months(received, 1).isoformat() and row["status"] == "received"
    url = f"/api/requests/{row['id']}"
    no_reason = _post(app, url, {"action": "extend", "months": 2})
    assert no_reason.status_code == 422
    extended = _post(app, url, {"action": "extend", "months": 2, "reason": "complex request"})
    # Counted from receipt by calendar month: one month plus the two further ones.
    assert extended.get_json()["due_on"] == add_months(received, 3).isoformat()
    assert extended.get_json()["extension_months"] == 2
    twice = _post(app, url, {"action": "extend", "months": 1, "reason": "again"})
    assert twice.status_code == 409
    assert _post(app, url, {"action": "start"}).get_json()["status"] == "in_progress"
    done = _post(app, url, {"action": "complete", "reason": "export sent"})
    assert done.get_json()["status"] == "completed"
    assert _post(app, url, {"action": "start"}).status_code == 409
    assert [e.action for e in events()] == ["request_created"] + ["request_updated"] * 3


def test_reject_needs_reason(app: Flask) -> None:
    row = _post(app, "/api/requests", {"kind": "erasure"}).get_json()
    url = f"/api/requests/{row['id']}"
    assert _post(app, url, {"action": "reject"}).status_code == 422
    rejected = _post(app, url, {"action": "reject", "reason": "identity not verified"})
    assert rejected.get_json()["status"] == "rejected"


def test_overdue_and_reminders(app: Flask) -> None:
    today = utcnow().date()
    old = _post(app, "/api/requests", {"kind": "access", "received_on": "2020-01-01"}).get_json()
    fresh = _post(app, "/api/requests", {"kind": "rectification"}).get_json()
    soon_day = (today - timedelta(days=25)).isoformat()
    soon = _post(app, "/api/requests", {"kind": "objection", "received_on": soon_day}).get_json()
    client = app.test_client()
    overdue = client.get("/api/requests?overdue=1", headers=bearer(app, "dpo")).get_json()
    assert [r["id"] for r in overdue["requests"]] == [old["id"]]
    assert overdue["requests"][0]["overdue"] is True
    flagged = reminders(within_days=7)
    assert [r["id"] for r in flagged["overdue"]] == [old["id"]]
    assert soon["id"] in [r["id"] for r in flagged["due_soon"]]
    assert fresh["id"] not in [r["id"] for r in flagged["due_soon"]]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "delete-me"},
        {},
        {"kind": "access", "received_on": "yesterday"},
        {"kind": "access", "received_on": "2999-01-01"},
        {"kind": "access", "subject_id": "00000000-0000-4000-8000-000000000000"},
        {"kind": "access", "channel": "pigeon"},
    ],
)
def test_create_invalid(app: Flask, body: dict) -> None:
    assert _post(app, "/api/requests", body).status_code in (404, 422)


def test_query_invalid_and_unknown(app: Flask) -> None:
    client = app.test_client()
    headers = bearer(app, "dpo")
    assert client.get("/api/requests?overdue=maybe", headers=headers).status_code == 422
    assert client.get("/api/requests?status=lost", headers=headers).status_code == 422
    assert client.get("/api/requests/nope", headers=headers).status_code == 404


def test_cli(
    app: Flask, monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(tmp_path / "datavagt.keys"))
    monkeypatch.setenv("DATAVAGT_SCHEDULER", "off")
    runner = CliRunner()
    made = runner.invoke(
        cli, ["requests", "create", "--kind", "access", "--received", "2020-01-01"]
    )
    assert made.exit_code == 0, made.output
    request_id = json.loads(made.output)["id"]
    listed = runner.invoke(cli, ["requests", "list", "--overdue"])
    assert request_id in listed.output
    late = runner.invoke(cli, ["requests", "extend", request_id, "--reason", "complex"])
    assert late.exit_code == 1 and "within one month of receipt" in late.output
    fresh = json.loads(runner.invoke(cli, ["requests", "create", "--kind", "access"]).output)
    extended = runner.invoke(cli, ["requests", "extend", fresh["id"], "--reason", "complex"])
    received = date.fromisoformat(fresh["received_on"])
    assert json.loads(extended.output)["due_on"] == add_months(received, 3).isoformat()
    again = runner.invoke(cli, ["requests", "extend", fresh["id"], "--reason", "again"])
    assert again.exit_code == 1 and "already extended" in again.output
    done = runner.invoke(cli, ["requests", "complete", request_id, "--note", "sent"])
    assert json.loads(done.output)["status"] == "completed"
