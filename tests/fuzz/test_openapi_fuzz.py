"""Schemathesis against ``/openapi.json`` (webhooks included): no input makes a 5xx.

Red team (issue 17): 79 server errors on 11 operations (NUL bytes and out-of-range integers
reaching PostgreSQL, some with a plain agent token). Every documented operation is fuzzed
with an admin token (and the vendors' webhook credentials, so bodies reach the parsers),
with a fixed seed and bounded examples so the run is deterministic and short.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from adapters.basic_auth import basic_auth_header
from adapters.hubspot.signature import sign_v3
from plugin.auth.tokens import issue_token
from plugin.webhooks import register
from tests.webhooks.conftest import PUBLIC_URL, VENDORS

EXAMPLES = int(os.environ.get("DATAVAGT_FUZZ_EXAMPLES", "50"))
WEBHOOKS = "/webhooks/{vendor}"


def _credentials(app: Flask, case: schemathesis.Case, body: bytes) -> dict[str, Any]:
    """Headers and query a real caller of this operation has."""
    if case.path != WEBHOOKS:
        token = issue_token(app.extensions["datavagt.keyring"], agent="fuzz", role="admin")
        return {"headers": {"Authorization": f"Bearer {token}"}}
    vendor = (case.path_parameters or {}).get("vendor")
    if vendor == "freshdesk":
        return {"headers": {"Authorization": basic_auth_header("datavagt", "pw-1")}}
    if vendor == "dynamics":
        return {"query": {"code": VENDORS["dynamics"]["webhook_key"]}}
    if vendor == "hubspot":  # signed as HubSpot would, so the body reaches the parser
        stamp = str(int(time.time() * 1000))
        secret = VENDORS["hubspot"]["client_secret"]
        url = f"{PUBLIC_URL}/webhooks/hubspot"
        signature = sign_v3(secret, "POST", url, body, stamp)
        return {
            "headers": {
                "X-HubSpot-Request-Timestamp": stamp,
                "X-HubSpot-Signature-v3": signature,
            }
        }
    return {}


def _send(app: Flask, client: FlaskClient, case: schemathesis.Case) -> int:
    kwargs = case.as_transport_kwargs(base_url="")
    headers = dict(kwargs.get("headers") or {})
    if "json" in kwargs:
        body = json.dumps(kwargs["json"]).encode()
        headers["Content-Type"] = "application/json"
    else:
        data = kwargs.get("data")
        body = data if isinstance(data, bytes) else str(data or "").encode()
    extra = _credentials(app, case, body)
    headers.update(extra.get("headers", {}))
    query = {**(kwargs.get("params") or {}), **extra.get("query", {})}
    response = client.open(
        kwargs["url"],
        method=kwargs["method"],
        headers=headers,
        query_string=query,
        data=body,
    )
    return response.status_code


def _fuzz(app: Flask, client: FlaskClient, operation: Any, failures: list[str]) -> None:
    strategy = operation.as_strategy()

    @seed(17)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(strategy)
        status = _send(app, client, case)
        if status >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} -> {status}: {case.as_curl_command()}"
            )

    with app.app_context():
        run()


def test_no_documented_operation_answers_a_server_error(make_app: Callable[..., Flask]) -> None:
    app = make_app(public_url=PUBLIC_URL, **VENDORS)
    register(app)
    with app.app_context():
        spec = app.test_client().get("/openapi.json").get_json()
    assert WEBHOOKS in spec["paths"]
    schema = schemathesis.openapi.from_dict(spec)
    client = app.test_client()
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operations += 1
        _fuzz(app, client, result.ok(), failures)
    assert operations >= 40
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:25])
