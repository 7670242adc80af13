"""HubSpot e-mails sent to the customer with personal data: webhook -> ingest -> report."""

from __future__ import annotations

import json
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask

from adapters.hubspot.signature import sign_v3
from plugin.compliance import report
from plugin.extensions import db
from plugin.ingest.processor import drain
from plugin.models import PlainReply
from tests.ingest.conftest import ingest_app, sims

__all__ = ["ingest_app", "sims"]
CPR = "010190-1234"


def _deliver(app: Flask, sim: Any, ticket_id: str) -> None:
    """What HubSpot posts when an agent changes the ticket: a v3-signed batch of ids."""
    stamp = str(int(time.time() * 1000))
    event = {
        "eventId": 1,
        "subscriptionId": 7,
        "portalId": sim.portal_id,
        "appId": sim.app_id,
        "occurredAt": int(stamp),
        "subscriptionType": "ticket.propertyChange",
        "attemptNumber": 0,
        "objectId": int(ticket_id),
        "propertyName": "hs_pipeline_stage",
        "propertyValue": "2",
        "changeSource": "CRM_UI",
        "sourceId": "userId:1",
    }
    body = json.dumps([event]).encode()
    url = "http://localhost/webhooks/hubspot"
    headers = {
        "X-HubSpot-Signature-Version": "v3",
        "X-HubSpot-Request-Timestamp": stamp,
        "X-HubSpot-Signature-v3": sign_v3(sim.client_secret, "POST", url, body, stamp),
    }
    response = app.test_client().post(
        "/webhooks/hubspot", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code in (200, 202), response.get_data(as_text=True)


def test_hubspot_sent_email_with_personal_data_is_reported(ingest_app: Flask, sims: dict) -> None:
    sim = sims["hubspot"]
    cid = sim.add_contact(firstname="Jens", lastname="Hansen", email="jens@example.com")
    tid = sim.add_ticket("Spørgsmål", "Hvad er status?", cid)
    sim.add_email(tid, html=f"<p>Mit CPR er {CPR}</p>")  # incoming
    sent = sim.add_email(tid, html=f"<p>Hej Jens, vi har noteret CPR {CPR}.</p>", direction="EMAIL")
    sim.add_email(tid, html=f"<p>Senere: CPR {CPR}</p>", direction="EMAIL", status="SCHEDULED")
    sim.add_email(tid, text="Tak, vi vender tilbage.", direction="EMAIL")  # no personal data
    sim.add_note(tid, f"<p>Intern note: {CPR}</p>")  # notes are internal
    _deliver(ingest_app, sim, tid)
    assert drain() >= 1

    row = db.session.scalars(sa.select(PlainReply)).one()
    assert row.conversation_id == f"email:{sent}" and "cpr" in row.types
    [entry] = report()["plain_email_replies"]["replies"]
    assert entry["vendor"] == "hubspot" and entry["external_id"] == tid
    assert CPR not in json.dumps(entry)
    # The CRM copy of the sent e-mail is tokenised all the same.
    assert CPR not in sim.engagements["emails"][sent]["properties"]["hs_email_html"]
