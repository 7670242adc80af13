"""Agents' replies mailed in clear by the vendor: webhook -> ingest -> compliance report."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Flask

from adapters.basic_auth import basic_auth_header
from plugin.compliance import report
from plugin.extensions import db
from plugin.ingest.processor import drain
from plugin.models import PlainReply
from tests.agents.helpers import bearer
from tests.ingest.conftest import ingest_app, sims

__all__ = ["ingest_app", "sims"]
CPR = "010190-1234"


def _deliver(app: Flask, sim: Any, ticket_id: int) -> None:
    """What a Freshdesk automation rule on 'reply sent' posts to the sidecar."""
    payload = {
        "freshdesk_webhook": {
            "ticket_id": str(ticket_id),
            "triggered_event": "{ticket_action:updated}",
            "ticket_updated_at": sim.tickets[ticket_id]["updated_at"],
        }
    }
    response = app.test_client().post(
        "/webhooks/freshdesk",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": basic_auth_header(sim.webhook_user, sim.webhook_password)},
    )
    assert response.status_code in (200, 202), response.get_data(as_text=True)


def test_public_reply_with_personal_data_is_reported(ingest_app: Flask, sims: dict) -> None:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    tid = sim.add_ticket("Spørgsmål", "<p>Hvad er status?</p>", contact, notify=False)
    sim.add_conversation(tid, "<p>Mit CPR er 010190-1234</p>", incoming=True)
    reply = sim.add_conversation(tid, f"<p>Hej Jens, vi har noteret CPR {CPR}.</p>", incoming=False)
    sim.add_conversation(tid, f"<p>Intern note: {CPR}</p>", incoming=False, private=True)
    sim.add_conversation(tid, "<p>Tak, vi vender tilbage.</p>", incoming=False)
    _deliver(ingest_app, sim, tid)
    assert drain() >= 1

    row = db.session.scalars(sa.select(PlainReply)).one()
    assert row.conversation_id == str(reply)
    assert "identity" in row.categories and "cpr" in row.types and row.findings >= 1
    section = report()["plain_email_replies"]
    assert section["total"] == 1 and section["by_category"]["identity"] == 1
    [entry] = section["replies"]
    assert entry["vendor"] == "freshdesk" and entry["external_id"] == str(tid)
    assert CPR not in json.dumps(section) and "Jens" not in json.dumps(section)

    # Ingesting the ticket again (another event) records the reply once.
    sim.tickets[tid]["updated_at"] = "2030-01-01T00:00:00Z"
    _deliver(ingest_app, sim, tid)
    drain()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlainReply)) == 1
    answer = ingest_app.test_client().get("/api/compliance", headers=bearer(ingest_app, "dpo"))
    assert answer.status_code == 200
    assert answer.get_json()["plain_email_replies"]["total"] == 1


def _deliver_dynamics(app: Flask, sim: Any, incident_id: str) -> None:
    """What a step registered on incident Update posts (WebhookKey in ?code=)."""
    context = {
        "MessageName": "Update",
        "PrimaryEntityName": "incident",
        "PrimaryEntityId": incident_id,
        "InitiatingUserId": "75c2dc5d-a5d1-e711-a959-000d3a1a941e",  # an agent, not us
        "OperationId": f"op-{incident_id}",
        "OperationCreatedOn": "/Date(1506409448000)/",
        "Stage": 40,
    }
    response = app.test_client().post(
        f"/webhooks/dynamics?code={sim.webhook_key}",
        data=json.dumps(context),
        content_type="application/json",
    )
    assert response.status_code in (200, 202), response.get_data(as_text=True)


def test_dynamics_sent_email_with_personal_data_is_reported(ingest_app: Flask, sims: dict) -> None:
    sim = sims["dynamics"]
    contact = sim.add_contact("Jens", "Hansen", "jens@example.com")
    iid = sim.add_incident("Spørgsmål", "Hvad er status?", contact)
    sim.add_email(iid, f"<p>Mit CPR er {CPR}</p>")  # received: incoming
    sent = sim.add_email(iid, f"<p>Hej Jens, vi har noteret CPR {CPR}.</p>", incoming=False)
    sim.add_email(iid, f"<p>Udkast med CPR {CPR}</p>", incoming=False, statecode=0)  # not sent
    sim.add_note(iid, f"Intern note: {CPR}")  # notes are internal
    _deliver_dynamics(ingest_app, sim, iid)
    assert drain() >= 1

    row = db.session.scalars(sa.select(PlainReply)).one()
    assert row.conversation_id == f"email:{sent}" and "cpr" in row.types
    [entry] = report()["plain_email_replies"]["replies"]
    assert entry["vendor"] == "dynamics" and entry["external_id"] == iid
    assert CPR not in json.dumps(entry)
