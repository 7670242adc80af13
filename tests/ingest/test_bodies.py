"""Odd bodies: invalid UTF-8, empty and 5 MB, at the webhook and inside tickets."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest.pipeline import ingest_ticket
from plugin.models import Finding, InboxEvent, VaultItem
from plugin.vault import get_vault


def _auth(sims: dict[str, Any]) -> dict[str, str]:
    sim = sims["freshdesk"]
    token = base64.b64encode(f"{sim.webhook_user}:{sim.webhook_password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"\xff\xfe\xfa not utf-8", 400),
        (b"", 400),
        (b'{"ticket_id": "1", "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}', 413),
    ],
)
def test_webhook_bodies_store_nothing(
    ingest_app: Flask, sims: dict, body: bytes, status: int
) -> None:
    response = ingest_app.test_client().post("/webhooks/freshdesk", data=body, headers=_auth(sims))
    assert response.status_code == status
    assert set(response.get_json()) == {"error"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxEvent)) == 0


def _ingest(app: Flask, sims: dict, description: str) -> Any:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    tid = sim.add_ticket("Hej", description, contact, notify=False)
    adapter = app.extensions["datavagt.adapters"]["freshdesk"]
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    return tid, result


def test_empty_ticket(ingest_app: Flask, sims: dict) -> None:
    tid, result = _ingest(ingest_app, sims, "")
    assert result.new_findings == 0 and result.written_fields == []
    assert sims["freshdesk"].count("PUT", "/api/v2/tickets/{id}") == 0


def test_lone_surrogate_in_ticket(ingest_app: Flask, sims: dict) -> None:
    # JSON can carry "\ud800", which is not encodable as UTF-8.
    tid, result = _ingest(ingest_app, sims, "Bad \ud800 char, CPR 010190-1234")
    stored = sims["freshdesk"].tickets[tid]["description"]
    assert "[CPR ••••••-••34]" in stored and "010190-1234" not in stored
    item = db.session.scalars(sa.select(VaultItem).where(VaultItem.kind == "cpr")).one()
    assert get_vault().decrypt(item) == "010190-1234"


@pytest.mark.slow
def test_five_megabyte_ticket(ingest_app: Flask, sims: dict) -> None:
    filler = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod. "
    body = "CPR 010190-1234. " + filler * (5_000_000 // len(filler)) + " Ring 20 12 34 56."
    tid, result = _ingest(ingest_app, sims, body)
    stored = sims["freshdesk"].tickets[tid]["description"]
    assert "010190-1234" not in stored and "20 12 34 56" not in stored
    assert len(stored) > 5_000_000
    types = sorted(f.type for f in db.session.scalars(sa.select(Finding)))
    assert types == ["cpr", "phone"]
