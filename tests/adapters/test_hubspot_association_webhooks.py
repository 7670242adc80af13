"""HubSpot `object.associationChange` between a ticket and an e-mail or note: the parser
turns it into a ticket update, and over real HTTP a new e-mail on an ingested ticket is
classified and tokenised (simulator -> signed webhook -> sidecar inbox -> worker)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from adapters.hubspot import webhook as hubspot
from adapters.hubspot.signature import sign_v3
from plugin.extensions import db
from plugin.ingest.processor import drain
from plugin.models import Finding, InboxEvent
from plugin.vendors.errors import WebhookPayloadError
from simulators.common.server import SimulatorServer
from tests.ingest.conftest import ingest_app, sims

__all__ = ["ingest_app", "sims"]
CPR = "010190-1234"


def _association(**overrides: object) -> dict[str, object]:
    event: dict[str, object] = {
        "eventId": 41,
        "subscriptionId": 77,
        "portalId": 33,
        "appId": 1160452,
        "occurredAt": 1567806187000,
        "subscriptionType": "object.associationChange",
        "attemptNumber": 0,
        "changeSource": "CRM_UI",
        "fromObjectTypeId": "0-5",
        "fromObjectId": 123,
        "toObjectTypeId": "0-49",
        "toObjectId": 9001,
        "associationRemoved": False,
        "isPrimaryAssociation": False,
    }
    event.update(overrides)
    return event


def _parse(*events: dict[str, object]) -> list[Any]:
    return hubspot.parse(json.dumps(list(events)).encode())


def test_ticket_to_email_is_a_ticket_update() -> None:
    [event] = _parse(_association())
    assert (event.object_type, event.object_id, event.kind) == ("ticket", "123", "updated")
    assert event.event_key == "77:41:1567806187000:123"  # the key fields of other events


def test_note_to_ticket_and_removal_re_read_the_ticket() -> None:
    note_side = _association(
        fromObjectTypeId="0-46", fromObjectId="9002", toObjectTypeId="0-5", toObjectId="124"
    )
    removed = _association(eventId=42, associationRemoved=True)
    events = _parse(note_side, removed)
    assert [(e.object_type, e.object_id, e.kind) for e in events] == [
        ("ticket", "124", "updated"),
        ("ticket", "123", "updated"),
    ]


def test_legacy_association_change_names_its_record_from_object_id() -> None:
    # "ticket.associationChange" carries fromObjectId/toObjectId and no objectId: it must
    # not fail the batch it arrives in (a 400 would make HubSpot drop the other events).
    legacy = _association(
        subscriptionType="ticket.associationChange", associationType="TICKET_TO_CONTACT",
        fromObjectId=125, toObjectId=51,
    )  # fmt: skip
    for key in ("fromObjectTypeId", "toObjectTypeId"):
        legacy.pop(key)
    created = _association(eventId=43, subscriptionType="ticket.creation", objectId=126)
    events = _parse(legacy, created)
    assert [(e.object_type, e.object_id, e.kind) for e in events] == [
        ("ticket", "125", "updated"),
        ("ticket", "126", "created"),
    ]


def test_duplicate_deliveries_share_the_key() -> None:
    first, retry = _parse(_association(), _association(attemptNumber=1))
    assert first.event_key == retry.event_key


@pytest.mark.parametrize(
    "pair",
    [
        {"toObjectTypeId": "0-1"},  # ticket -> contact
        {"toObjectTypeId": "0-2"},  # ticket -> company
        {"fromObjectTypeId": "0-1", "toObjectTypeId": "0-49"},  # contact -> e-mail
        {"fromObjectTypeId": "0-3", "toObjectTypeId": "0-46"},  # deal -> note
    ],
)
def test_other_pairs_are_ignored(pair: dict[str, str]) -> None:
    assert _parse(_association(**pair)) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"fromObjectId": None},
        {"toObjectId": ""},
        {"toObjectTypeId": None},
        {"fromObjectTypeId": True},
        {"occurredAt": "yesterday"},
        {"eventId": None},
    ],
)
def test_malformed_association_events(overrides: dict[str, object]) -> None:
    with pytest.raises(WebhookPayloadError):
        _parse(_association(**overrides))


@pytest.fixture
def served(ingest_app: Flask, sims: dict[str, Any]) -> Iterator[str]:
    """The sidecar over HTTP with the HubSpot simulator sending its webhooks to it."""
    server = SimulatorServer(ingest_app).start()
    sims["hubspot"].configure(webhook_url=f"{server.url}/webhooks/hubspot")
    try:
        yield server.url
    finally:
        server.stop()


def _signed_post(url: str, secret: str, events: list[dict[str, object]]) -> requests.Response:
    body = json.dumps(events).encode()
    stamp = str(int(time.time() * 1000))
    headers = {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": "v3",
        "X-HubSpot-Request-Timestamp": stamp,
        "X-HubSpot-Signature-v3": sign_v3(secret, "POST", url, body, stamp),
    }
    return requests.post(url, data=body, headers=headers, timeout=10)


def test_new_email_on_ingested_ticket_is_classified_and_tokenised(
    served: str, sims: dict[str, Any]
) -> None:
    sim = sims["hubspot"]
    cid = sim.add_contact(firstname="Jens", lastname="Hansen", email="jens@example.com")
    tid = sim.add_ticket("Spørgsmål", "Hvad er status?", cid)  # ticket.creation webhook
    assert sim.flush_webhooks()
    assert drain() >= 1
    assert not db.session.scalars(
        sa.select(Finding).where(Finding.field.like("conversation.%"))
    ).all()

    # No ticket property changes: only the association event tells the sidecar.
    eid = sim.add_email(tid, html=f"<p>Mit CPR er {CPR}</p>", notify=True)
    assert sim.flush_webhooks()
    delivery = sim.deliveries[-1]
    assert delivery.status == 202
    assert drain() >= 1

    field = f"conversation.email:{eid}"
    findings = db.session.scalars(sa.select(Finding).where(Finding.field == field)).all()
    assert [f.type for f in findings] == ["cpr"] and findings[0].written_back
    stored = sim.engagements["emails"][eid]["properties"]
    assert CPR not in stored["hs_email_html"] and CPR not in stored.get("hs_email_text", "")
    rows = db.session.scalars(sa.select(InboxEvent)).all()
    assert sum(1 for row in rows if row.object_id == tid) == 2  # creation + association


def test_malformed_association_event_is_400(served: str, sims: dict[str, Any]) -> None:
    sim = sims["hubspot"]
    url = f"{served}/webhooks/hubspot"
    response = _signed_post(url, sim.client_secret, [_association(fromObjectId=None)])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_payload"
    ignored = _signed_post(url, sim.client_secret, [_association(toObjectTypeId="0-1")])
    assert ignored.status_code == 202 and ignored.json()["accepted"] == 0
