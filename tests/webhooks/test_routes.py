"""`POST /webhooks/<vendor>`: auth, limits, malformed bodies, inbox dedupe."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from adapters.basic_auth import basic_auth_header
from adapters.hubspot.signature import sign_v3
from plugin.extensions import db
from plugin.models import InboxEvent
from plugin.webhooks import register
from tests.webhooks.conftest import PUBLIC_URL, VENDORS

FRESHDESK_AUTH = {"Authorization": basic_auth_header("datavagt", "pw-1")}
FRESHDESK_BODY = json.dumps(
    {
        "freshdesk_webhook": {
            "ticket_id": "11",
            "requester_email": "mette@example.dk",
            "triggered_event": "{ticket_action:updated}",
            "ticket_updated_at": "2024-05-01T10:00:00Z",
        }
    }
).encode()


def _rows() -> list[InboxEvent]:
    return list(db.session.scalars(sa.select(InboxEvent).order_by(InboxEvent.id)))


def _error(response: object, status: int, code: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.get_json()["error"]["code"] == code  # type: ignore[attr-defined]


SECRET = "hs-secret"


def _hubspot(body: bytes, stamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(stamp if stamp is not None else int(time.time() * 1000))
    url = f"{PUBLIC_URL}/webhooks/hubspot"
    return {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": "v3",
        "X-HubSpot-Request-Timestamp": ts,
        "X-HubSpot-Signature-v3": sign_v3(secret, "POST", url, body, ts),
    }


HUBSPOT_BODY = json.dumps(
    [
        {
            "eventId": "100",
            "subscriptionId": 7,
            "portalId": 1,
            "appId": 2,
            "occurredAt": 1714557600000,
            "subscriptionType": "ticket.propertyChange",
            "attemptNumber": 0,
            "objectId": 555,
            "propertyName": "content",
            "propertyValue": "CPR 070761-4285",
            "changeSource": "CRM_UI",
        }
    ]
).encode()


def _dynamics_body(**extra: object) -> bytes:
    context = {
        "MessageName": "Create",
        "PrimaryEntityName": "incident",
        "PrimaryEntityId": "c4a8f0d1-44a7-e711-a94d-000d3a1a7a9b",
        "InitiatingUserId": "75c2dc5d-a5d1-e711-a959-000d3a1a941e",
        "OperationId": "op-1",
        "OperationCreatedOn": "/Date(1506409448000-0700)/",
        "Stage": 40,
        **extra,
    }
    return json.dumps(context).encode()


def test_freshdesk_good_then_replayed(webhook_app: Flask) -> None:
    client = webhook_app.test_client()
    first = client.post("/webhooks/freshdesk", data=FRESHDESK_BODY, headers=FRESHDESK_AUTH)
    assert first.status_code == 202 and first.get_json() == {"accepted": 1, "duplicates": 0}
    again = client.post("/webhooks/freshdesk", data=FRESHDESK_BODY, headers=FRESHDESK_AUTH)
    assert again.get_json() == {"accepted": 0, "duplicates": 1}
    rows = _rows()
    assert len(rows) == 1
    assert (rows[0].vendor, rows[0].object_id, rows[0].kind) == ("freshdesk", "11", "updated")
    assert rows[0].status == "pending" and rows[0].attempts == 0
    assert "mette" not in json.dumps(rows[0].payload)  # the raw body is never stored


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": basic_auth_header("datavagt", "wrong")}, {"Authorization": "Bearer x"}],
)
def test_freshdesk_unauthenticated(webhook_app: Flask, headers: dict[str, str]) -> None:
    response = webhook_app.test_client().post(
        "/webhooks/freshdesk", data=FRESHDESK_BODY, headers=headers
    )
    _error(response, 401, "unauthorized")
    assert _rows() == []


def test_freshdesk_malformed_and_oversized(webhook_app: Flask) -> None:
    client = webhook_app.test_client()
    bad = client.post("/webhooks/freshdesk", data=b'{"ticket": 1}', headers=FRESHDESK_AUTH)
    _error(bad, 400, "malformed_payload")
    big = client.post("/webhooks/freshdesk", data=b"x" * (1024 * 1024 + 1), headers=FRESHDESK_AUTH)
    assert big.status_code == 413 and "error" in big.get_json()


def test_hubspot_good_replayed_tampered_stale(webhook_app: Flask) -> None:
    client = webhook_app.test_client()
    ok = client.post("/webhooks/hubspot", data=HUBSPOT_BODY, headers=_hubspot(HUBSPOT_BODY))
    assert ok.status_code == 202 and ok.get_json()["accepted"] == 1
    # HubSpot retries with the same event: a new signature, the same dedupe key.
    retry = client.post("/webhooks/hubspot", data=HUBSPOT_BODY, headers=_hubspot(HUBSPOT_BODY))
    assert retry.get_json() == {"accepted": 0, "duplicates": 1}
    tampered = HUBSPOT_BODY.replace(b"555", b"556")
    _error(
        client.post("/webhooks/hubspot", data=tampered, headers=_hubspot(HUBSPOT_BODY)),
        401,
        "unauthorized",
    )
    stale = _hubspot(HUBSPOT_BODY, stamp=int(time.time() * 1000) - 6 * 60 * 1000)
    _error(client.post("/webhooks/hubspot", data=HUBSPOT_BODY, headers=stale), 401, "unauthorized")
    wrong = _hubspot(HUBSPOT_BODY, secret="other")
    _error(client.post("/webhooks/hubspot", data=HUBSPOT_BODY, headers=wrong), 401, "unauthorized")
    _error(client.post("/webhooks/hubspot", data=HUBSPOT_BODY), 401, "unauthorized")
    assert len(_rows()) == 1


def test_hubspot_signature_is_over_the_public_url(webhook_app: Flask) -> None:
    ts = str(int(time.time() * 1000))
    local = sign_v3("hs-secret", "POST", "http://localhost/webhooks/hubspot", HUBSPOT_BODY, ts)
    headers = {
        **_hubspot(HUBSPOT_BODY),
        "X-HubSpot-Request-Timestamp": ts,
        "X-HubSpot-Signature-v3": local,
    }
    response = webhook_app.test_client().post(
        "/webhooks/hubspot", data=HUBSPOT_BODY, headers=headers
    )
    _error(response, 401, "unauthorized")


def test_hubspot_malformed_batch(webhook_app: Flask) -> None:
    body = b'[{"subscriptionType": "ticket.creation"}]'
    response = webhook_app.test_client().post(
        "/webhooks/hubspot", data=body, headers=_hubspot(body)
    )
    _error(response, 400, "malformed_payload")


def test_hubspot_batch_with_internal_duplicate(webhook_app: Flask) -> None:
    events = json.loads(HUBSPOT_BODY) * 2
    body = json.dumps(events).encode()
    response = webhook_app.test_client().post(
        "/webhooks/hubspot", data=body, headers=_hubspot(body)
    )
    assert response.get_json() == {"accepted": 1, "duplicates": 1}


def test_dynamics_key_size_and_shapes(webhook_app: Flask) -> None:
    client = webhook_app.test_client()
    body = _dynamics_body()
    ok = client.post(
        "/webhooks/dynamics?code=dyn-key",
        data=body,
        headers={"x-ms-dynamics-msg-size-exceeded": "true"},
    )
    assert ok.status_code == 202 and ok.get_json() == {"accepted": 1, "duplicates": 0}
    assert client.post("/webhooks/dynamics?code=dyn-key", data=body).get_json()["duplicates"] == 1
    _error(client.post("/webhooks/dynamics?code=nope", data=body), 401, "unauthorized")
    _error(client.post("/webhooks/dynamics", data=body), 401, "unauthorized")
    _error(client.post("/webhooks/dynamics?code=dyn-key", data=b"[1]"), 400, "malformed_payload")
    big = _dynamics_body(Padding="x" * (600 * 1024))
    _error(client.post("/webhooks/dynamics?code=dyn-key", data=big), 413, "payload_too_large")
    row = _rows()[0]
    assert (row.object_type, row.kind) == ("ticket", "created")
    assert row.occurred_at is not None


def test_unknown_and_disabled_vendors_are_404(
    webhook_app: Flask, make_app: Callable[..., Flask]
) -> None:
    _error(webhook_app.test_client().post("/webhooks/zendesk", data=b"{}"), 404, "not_found")
    bare = make_app()
    register(bare)
    _error(bare.test_client().post("/webhooks/hubspot", data=b"[]"), 404, "not_found")


def _fresh_hubspot_body() -> bytes:
    event = json.loads(HUBSPOT_BODY)[0]
    return json.dumps([{**event, "occurredAt": int(time.time() * 1000)}]).encode()


def test_hubspot_what_the_simulator_sends_is_accepted_and_v1_alone_is_not(
    webhook_app: Flask,
) -> None:
    """HubSpot sends v1 and v3 together; without v3, v1 is refused unless enabled."""
    from simulators.hubspot.simulator import HubSpotSimulator

    sim = HubSpotSimulator(client_secret=SECRET)
    url = f"{PUBLIC_URL}/webhooks/hubspot"
    body = _fresh_hubspot_body()
    client = webhook_app.test_client()
    both = sim.signed_headers(url, body)
    assert both["X-HubSpot-Signature-Version"] == "v1" and "X-HubSpot-Signature-v3" in both
    assert client.post("/webhooks/hubspot", data=body, headers=both).status_code == 202
    sim.config["signatures"] = "v1"
    v1_only = sim.signed_headers(url, body)
    assert "X-HubSpot-Signature-v3" not in v1_only
    _error(client.post("/webhooks/hubspot", data=body, headers=v1_only), 401, "unauthorized")


def test_hubspot_legacy_signatures_when_enabled(make_app: Callable[..., Flask]) -> None:
    from adapters.hubspot.signature import sign_v1

    hubspot = {**VENDORS["hubspot"], "legacy_signatures": "true"}
    app = make_app(public_url=PUBLIC_URL, **{**VENDORS, "hubspot": hubspot})
    register(app)
    with app.app_context():
        client = app.test_client()
        body = _fresh_hubspot_body()
        headers = {
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature": sign_v1(SECRET, body),
        }
        assert client.post("/webhooks/hubspot", data=body, headers=headers).status_code == 202
        # The same bytes again: a replay, refused (HubSpot's own retries change attemptNumber).
        _error(client.post("/webhooks/hubspot", data=body, headers=headers), 401, "unauthorized")
        year_old = HUBSPOT_BODY  # occurredAt in 2024
        old = {
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature": sign_v1(SECRET, year_old),
        }
        _error(client.post("/webhooks/hubspot", data=year_old, headers=old), 401, "unauthorized")
