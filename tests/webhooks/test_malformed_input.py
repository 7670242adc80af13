"""Malformed input is a 4xx, never a 5xx (red-team repros of issue 17)."""

from __future__ import annotations

import json
import time

import pytest
from flask import Flask

from adapters.basic_auth import basic_auth_header
from adapters.hubspot.signature import sign_v3
from adapters.timeparse import parse_epoch_ms, parse_iso, parse_wcf
from plugin.auth.tokens import issue_token
from plugin.json_input import JsonInputError, loads
from tests.webhooks.conftest import PUBLIC_URL

DEEP = ("[" * 5000 + "]" * 5000).encode()


def _hubspot(app: Flask, body: bytes) -> int:
    stamp = str(int(time.time() * 1000))
    url = f"{PUBLIC_URL}/webhooks/hubspot"
    headers = {
        "X-HubSpot-Request-Timestamp": stamp,
        "X-HubSpot-Signature-v3": sign_v3("hs-secret", "POST", url, body, stamp),
    }
    return app.test_client().post("/webhooks/hubspot", data=body, headers=headers).status_code


def _event(**change: object) -> bytes:
    event = {"eventId": 1, "subscriptionId": 2, "occurredAt": int(time.time() * 1000)}
    event |= {"subscriptionType": "ticket.creation", "objectId": 3, **change}
    return json.dumps([event]).encode()


@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        _event(occurredAt=1e30),
        _event(occurredAt=10**30),
        _event(occurredAt=2**62),
        _event(occurredAt="99999999999999999999"),
        b'[{"occurredAt": NaN}]',
        b'[{"eventId": "a\\u0000b"}]',
    ],
    ids=["deep", "1e30", "10**30", "2**62", "digits", "nan", "nul"],
)
def test_hubspot_bodies_are_400(webhook_app: Flask, body: bytes) -> None:
    assert _hubspot(webhook_app, body) == 400


@pytest.mark.parametrize(
    "stamp", ["/Date(99999999999999999999)/", "/Date(-99999999999999)/", "/Date(253402300800000)/"]
)
def test_dynamics_wcf_dates_out_of_range_are_not_500(webhook_app: Flask, stamp: str) -> None:
    body = {
        "MessageName": "Update",
        "PrimaryEntityName": "incident",
        "PrimaryEntityId": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "OperationCreatedOn": stamp,
    }
    response = webhook_app.test_client().post(
        "/webhooks/dynamics?code=dyn-key", data=json.dumps(body)
    )
    assert response.status_code == 202  # the event is kept; only its unusable time is dropped


def test_freshdesk_deep_and_far_future_bodies(webhook_app: Flask) -> None:
    auth = {"Authorization": basic_auth_header("datavagt", "pw-1")}
    client = webhook_app.test_client()
    assert client.post("/webhooks/freshdesk", data=DEEP, headers=auth).status_code == 400
    far = {"ticket_id": "1", "ticket_updated_at": "9999-12-31T23:59:59-05:00"}
    assert client.post("/webhooks/freshdesk", json=far, headers=auth).status_code == 202


def _agent(app: Flask) -> dict[str, str]:
    token = issue_token(app.extensions["datavagt.keyring"], agent="a", role="agent")
    return {"Authorization": f"Bearer {token}"}


def test_api_bodies_deep_huge_numbers_and_nul_are_4xx(webhook_app: Flask) -> None:
    client = webhook_app.test_client()
    path = "/api/tickets/freshdesk/1/reveal"
    headers = {**_agent(webhook_app), "Content-Type": "application/json"}
    deep = client.post(path, data=DEEP, headers=headers)
    assert deep.status_code == 400 and deep.get_json()["error"]["code"] == "malformed_json"
    huge = client.post(
        path, data=b'{"field": "d", "finding": 1' + b"0" * 30 + b"}", headers=headers
    )
    assert huge.status_code == 400
    big = client.post(
        path, json={"field": "d", "finding": 2**40, "reason": "x" * 10}, headers=headers
    )
    assert big.status_code in (404, 422)
    nul = client.get("/api/consents/texts?purpose=%00z", headers=_agent(webhook_app))
    assert nul.status_code == 400 and nul.get_json()["error"]["code"] == "invalid_value"


def test_the_loader_and_the_date_parsers() -> None:
    for bad in (DEEP, b"1e999", b'"\\u0000"', b"\xff", b"[1" + b"0" * 25 + b"]"):
        with pytest.raises(JsonInputError):
            loads(bad)
    assert loads(b'{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    assert parse_epoch_ms(10**30) is None and parse_epoch_ms(1e30) is None
    assert parse_wcf("/Date(99999999999999999999)/") is None
    assert parse_iso("9999-12-31T23:59:59-05:00") is None
    assert parse_epoch_ms(1714557600000).year == 2024
