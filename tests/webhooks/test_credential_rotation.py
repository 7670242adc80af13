"""Webhook credentials rotate without downtime: the current and the previous one work."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from flask import Flask

from adapters.basic_auth import basic_auth_header
from adapters.hubspot.signature import sign_v3
from plugin.webhooks import register
from tests.webhooks.conftest import PUBLIC_URL, VENDORS

ROTATING = {
    "freshdesk": {**VENDORS["freshdesk"], "webhook_password_previous": "pw-0"},
    "hubspot": {**VENDORS["hubspot"], "client_secret_previous": "hs-old"},
    "dynamics": {**VENDORS["dynamics"], "webhook_key_previous": "dyn-old"},
}


def _app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(public_url=PUBLIC_URL, **ROTATING)
    register(app)
    return app


def _freshdesk(app: Flask, password: str) -> int:
    body = {"ticket_id": "7", "ticket_updated_at": f"2026-12-07T12:00:{len(password):02d}Z"}
    headers = {"Authorization": basic_auth_header("datavagt", password)}
    return app.test_client().post("/webhooks/freshdesk", json=body, headers=headers).status_code


def _hubspot(app: Flask, secret: str, event_id: int) -> int:
    event = {"eventId": event_id, "subscriptionId": 1, "occurredAt": int(time.time() * 1000)}
    body = json.dumps([{**event, "subscriptionType": "ticket.creation", "objectId": 5}]).encode()
    stamp = str(int(time.time() * 1000))
    url = f"{PUBLIC_URL}/webhooks/hubspot"
    headers = {
        "X-HubSpot-Request-Timestamp": stamp,
        "X-HubSpot-Signature-v3": sign_v3(secret, "POST", url, body, stamp),
    }
    return app.test_client().post("/webhooks/hubspot", data=body, headers=headers).status_code


def _dynamics(app: Flask, key: str, operation: str) -> int:
    body = {
        "MessageName": "Update",
        "PrimaryEntityName": "incident",
        "PrimaryEntityId": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "OperationId": operation,
    }
    path = f"/webhooks/dynamics?code={key}"
    return app.test_client().post(path, data=json.dumps(body)).status_code


def test_current_and_previous_credentials_are_accepted_others_are_not(
    make_app: Callable[..., Flask],
) -> None:
    app = _app(make_app)
    with app.app_context():
        assert _freshdesk(app, "pw-1") == 202 and _freshdesk(app, "pw-0") == 202
        assert _freshdesk(app, "pw-2") == 401
        assert _hubspot(app, "hs-secret", 1) == 202 and _hubspot(app, "hs-old", 2) == 202
        assert _hubspot(app, "hs-other", 3) == 401
        assert _dynamics(app, "dyn-key", "a") == 202 and _dynamics(app, "dyn-old", "b") == 202
        assert _dynamics(app, "dyn-other", "c") == 401


def test_without_a_previous_credential_only_the_current_one_works(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(public_url=PUBLIC_URL, **VENDORS)
    register(app)
    with app.app_context():
        assert _freshdesk(app, "pw-0") == 401
        assert _hubspot(app, "hs-old", 1) == 401
        assert _dynamics(app, "dyn-old", "a") == 401
