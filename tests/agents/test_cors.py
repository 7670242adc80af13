"""CORS on the exchange and agent API: exactly the configured CRM origins, nobody else.

Issue 22: the Dynamics web resource runs on https://<org>.crm4.dynamics.com and calls
``POST /auth/exchange/dynamics`` there; without CORS headers the browser blocks the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from plugin.config import ConfigError, load_settings
from simulators.dynamics.simulator import DynamicsSimulator
from tests.agents.helpers import bearer
from tests.agents.seeding import seed_ticket

CRM = "https://contoso.crm4.dynamics.com"
OTHER = "https://evil.example.net"
CLIENT_ID = "11111111-2222-4333-8444-555555555555"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization",
}


@pytest.fixture(scope="module")
def dynamics() -> Iterator[DynamicsSimulator]:
    sim = DynamicsSimulator(client_id=CLIENT_ID).start()
    yield sim
    sim.stop()


def _app(make_app: Callable[..., Flask], dynamics: DynamicsSimulator, **extra: object) -> Flask:
    return make_app(
        dynamics={
            "org_url": dynamics.url,
            "tenant_id": dynamics.aad.tenant_id,
            "client_id": CLIENT_ID,
            "client_secret": "s",
            "webhook_key": "w",
            "authority_url": dynamics.url,
        },
        agent_mapping={"dynamics": {"default": "agent"}},
        **extra,
    )


@pytest.fixture
def cors_app(make_app: Callable[..., Flask], dynamics: DynamicsSimulator) -> Iterator[Flask]:
    app = _app(make_app, dynamics, crm_origins=f"{CRM}, https://other-crm.example.org")
    with app.app_context():
        yield app


def test_preflight_from_the_crm_is_answered(cors_app: Flask) -> None:
    response = cors_app.test_client().options(
        "/auth/exchange/dynamics", headers={"Origin": CRM, **PREFLIGHT}
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == CRM
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
    assert "Origin" in response.headers["Vary"]
    # Bearer tokens, not cookies: the browser must not be told to send credentials.
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_exchange_through_cors_from_the_crm(cors_app: Flask, dynamics: DynamicsSimulator) -> None:
    token = dynamics.mint_user_token("agent@example.dk", audience=CLIENT_ID, oid="oid-7")
    response = cors_app.test_client().post(
        "/auth/exchange/dynamics", headers={"Origin": CRM, "Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200 and response.get_json()["token"]
    assert response.headers["Access-Control-Allow-Origin"] == CRM
    assert "Access-Control-Allow-Credentials" not in response.headers
    # A refusal is readable too, so the web resource can say why.
    refused = cors_app.test_client().post(
        "/auth/exchange/dynamics", headers={"Origin": CRM, "Authorization": "Bearer nope"}
    )
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] == CRM


def test_other_origins_get_no_cors_header(cors_app: Flask, dynamics: DynamicsSimulator) -> None:
    client = cors_app.test_client()
    for origin in (OTHER, "null", CRM + ".evil.example.net", "http://contoso.crm4.dynamics.com"):
        preflight = client.options(
            "/auth/exchange/dynamics", headers={"Origin": origin, **PREFLIGHT}
        )
        assert preflight.status_code == 204
        assert "Access-Control-Allow-Origin" not in preflight.headers
        assert "Access-Control-Allow-Methods" not in preflight.headers
        token = dynamics.mint_user_token("agent@example.dk", audience=CLIENT_ID, oid="oid-7")
        post = client.post(
            "/auth/exchange/dynamics",
            headers={"Origin": origin, "Authorization": f"Bearer {token}"},
        )
        assert "Access-Control-Allow-Origin" not in post.headers
        assert "Origin" in post.headers["Vary"]
    allowed = client.options("/auth/exchange/dynamics", headers={"Origin": CRM, **PREFLIGHT})
    assert allowed.headers["Access-Control-Allow-Origin"] == CRM


def test_agent_api_has_cors_for_the_crm_only(cors_app: Flask) -> None:
    seed_ticket("freshdesk", "1001")
    headers = bearer(cors_app, "agent")
    client = cors_app.test_client()
    ok = client.get("/api/tickets/freshdesk/1001", headers={"Origin": CRM, **headers})
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == CRM
    other = client.get("/api/tickets/freshdesk/1001", headers={"Origin": OTHER, **headers})
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers
    # The preflight needs no token: browsers never send one with it.
    preflight = client.options(
        "/api/tickets/freshdesk/1001/reveal", headers={"Origin": CRM, **PREFLIGHT}
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == CRM


def test_other_routes_never_get_cors(cors_app: Flask) -> None:
    covered = cors_app.test_client().post("/auth/exchange/dynamics", headers={"Origin": CRM})
    assert covered.headers["Access-Control-Allow-Origin"] == CRM
    for path in ("/healthz", "/admin/login", "/webhooks/dynamics"):
        response = cors_app.test_client().get(path, headers={"Origin": CRM})
        assert "Access-Control-Allow-Origin" not in response.headers, path


def test_no_origins_configured_means_no_cors(
    make_app: Callable[..., Flask], dynamics: DynamicsSimulator
) -> None:
    app = _app(make_app, dynamics)
    client = app.test_client()
    preflight = client.options("/auth/exchange/dynamics", headers={"Origin": CRM, **PREFLIGHT})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    post = client.post("/auth/exchange/dynamics", headers={"Origin": CRM})
    assert post.status_code == 401 and "Access-Control-Allow-Origin" not in post.headers
    assert "Origin" in post.headers["Vary"]


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "https://*.dynamics.com",
        "https://contoso.crm4.dynamics.com/main.aspx",
        "http://crm.acme.dk",
        "crm",
    ],
)
def test_origins_setting_refuses_what_is_not_an_exact_origin(value: str) -> None:
    with pytest.raises(ConfigError, match="DATAVAGT_CRM_ORIGINS"):
        load_settings(environ={"DATAVAGT_CRM_ORIGINS": value})


def test_origins_setting_normalises_case_and_duplicates() -> None:
    settings = load_settings(
        environ={
            "DATAVAGT_CRM_ORIGINS": "https://Contoso.crm4.dynamics.com https://contoso.crm4.dynamics.com/"
        }
    )
    assert settings.crm_origins == (CRM,)
    assert load_settings(environ={}).crm_origins == ()
