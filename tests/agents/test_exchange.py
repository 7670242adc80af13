"""POST /auth/exchange/<vendor>: each CRM's proof of the agent, and the attacks on it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask

from adapters.hubspot.signature import sign_v1, sign_v3
from plugin.auth.tokens import verify_token
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.agents.helpers import events
from tests.agents.seeding import seed_ticket

HUBSPOT_SECRET = "hs-client-secret-for-tests"
FRESHDESK_SECRET = "fd-installation-secret-for-tests"
CLIENT_ID = "11111111-2222-4333-8444-555555555555"


@pytest.fixture(scope="module")
def dynamics() -> Iterator[DynamicsSimulator]:
    sim = DynamicsSimulator(client_id=CLIENT_ID).start()
    yield sim
    sim.stop()


@pytest.fixture(scope="module")
def freshdesk() -> Iterator[FreshdeskSimulator]:
    """Freshdesk with the agents the tests sign in as (groups as Freshdesk holds them)."""
    sim = FreshdeskSimulator().start()
    sim.add_agent("Ada Agent", "a@example.dk", group_ids=[12, 77], agent_id=501)
    sim.add_agent("Bo Agent", "b@example.dk", agent_id=502)
    sim.add_agent("Gone Agent", "g@example.dk", group_ids=[77], agent_id=503, active=False)
    yield sim
    sim.stop()


@pytest.fixture
def exchange_app(
    make_app: Callable[..., Flask], dynamics: DynamicsSimulator, freshdesk: FreshdeskSimulator
) -> Iterator[Flask]:
    app = make_app(
        # Complete vendor settings: a partly configured vendor stops start-up.
        hubspot={"token": "t", "client_secret": HUBSPOT_SECRET, "portal_id": "4711"},
        freshdesk={
            "base_url": freshdesk.url,
            "api_key": freshdesk.api_key,
            "webhook_user": "u",
            "webhook_password": "p",
            "app_secret": FRESHDESK_SECRET,
        },
        dynamics={
            "org_url": dynamics.url,
            "tenant_id": dynamics.aad.tenant_id,
            "client_id": CLIENT_ID,
            "client_secret": "s",
            "webhook_key": "w",
            "authority_url": dynamics.url,
        },
        agent_mapping={
            "hubspot": {"default": "agent", "users": {"9": "team_lead"}},
            "freshdesk": {"default": "deny", "groups": {"77": "senior_agent"}},
            "dynamics": {"default": "agent", "emails": {"dpo@example.dk": "dpo"}},
        },
    )
    app.config["FRESHDESK_SIM"] = freshdesk
    with app.app_context():
        yield app


def hubspot_call(
    app: Flask,
    *,
    user: str = "9",
    portal: str = "4711",
    age_ms: int = 0,
    secret: str = HUBSPOT_SECRET,
    tamper: str | None = None,
) -> tuple[int, dict]:
    """Sign a hubspot.fetch-style POST as HubSpot would (v3 over the decoded URI)."""
    query = urlencode({"userId": user, "userEmail": "lead@example.dk", "portalId": portal})
    body = json.dumps({"ticketId": "1001"}).encode()
    timestamp = str(int(time.time() * 1000) - age_ms)
    signed = f"http://localhost/auth/exchange/hubspot?{query}".replace("%40", "@")
    headers = {
        "X-HubSpot-Signature-v3": sign_v3(secret, "POST", signed, body, timestamp),
        "X-HubSpot-Request-Timestamp": timestamp,
        "Content-Type": "application/json",
    }
    path = f"/auth/exchange/hubspot?{tamper or query}"
    response = app.test_client().post(path, data=body, headers=headers)
    return response.status_code, response.get_json()


def test_hubspot_signed_request_gets_a_token(exchange_app: Flask) -> None:
    status, body = hubspot_call(exchange_app)
    assert status == 200 and body["role"] == "team_lead" and body["expires_in"] == 900
    claims = verify_token(exchange_app.extensions["datavagt.keyring"], body["token"])
    assert claims["sub"] == "hubspot:9" and claims["vendor_user"] == "9"
    (login,) = events("login")
    assert login.details == {"vendor": "hubspot", "method": "hubspot", "outcome": "granted"}
    assert "lead@example.dk" not in json.dumps(login.details)


@pytest.mark.parametrize(
    "change",
    [
        {"age_ms": 6 * 60 * 1000},
        {"age_ms": -6 * 60 * 1000},
        {"secret": "wrong"},
        {"portal": "666"},
        {"tamper": "userId=1&userEmail=lead%40example.dk&portalId=4711"},
        {"user": "abc"},
    ],
)
def test_hubspot_refusals(exchange_app: Flask, change: dict) -> None:
    status, body = hubspot_call(exchange_app, **change)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    assert events("login") == []


def test_hubspot_v1_signature_is_not_enough(exchange_app: Flask) -> None:
    body = b"{}"
    headers = {
        "X-HubSpot-Signature": sign_v1(HUBSPOT_SECRET, body),
        "X-HubSpot-Signature-Version": "v1",
        "X-HubSpot-Signature-v3": "bogus",
    }
    response = exchange_app.test_client().post(
        "/auth/exchange/hubspot?userId=9&portalId=4711", data=body, headers=headers
    )
    assert response.status_code == 401


def dynamics_call(app: Flask, token: str) -> tuple[int, dict]:
    response = app.test_client().post(
        "/auth/exchange/dynamics", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.get_json()


def test_dynamics_azure_token_gets_a_token(
    exchange_app: Flask, dynamics: DynamicsSimulator
) -> None:
    token = dynamics.mint_user_token("dpo@example.dk", audience=CLIENT_ID, oid="oid-1")
    status, body = dynamics_call(exchange_app, token)
    assert status == 200 and body["role"] == "dpo"
    claims = verify_token(exchange_app.extensions["datavagt.keyring"], body["token"])
    assert claims["sub"] == "dynamics:oid-1"
    api_uri = dynamics.mint_user_token("x@example.dk", audience=f"api://{CLIENT_ID}")
    assert dynamics_call(exchange_app, api_uri)[1]["role"] == "agent"
    before = dynamics.count("GET", f"/{dynamics.aad.tenant_id}/discovery/v2.0/keys")
    dynamics_call(exchange_app, token)
    # PyJWKClient caches the key set: fetched once, not again for a further exchange.
    assert before >= 1
    assert dynamics.count("GET", f"/{dynamics.aad.tenant_id}/discovery/v2.0/keys") == before


def _foreign_rs256(dynamics: DynamicsSimulator) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {
        "iss": dynamics.aad.issuer,
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 600,
        "oid": "o",
        "tid": dynamics.aad.tenant_id,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": dynamics.aad.kid})


def _hs256_with_public_key(dynamics: DynamicsSimulator) -> str:
    """Classic algorithm confusion: HS256 keyed with the tenant's public key (PEM)."""
    public = jwt.PyJWK(dynamics.aad.jwks()["keys"][0]).key
    pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    now = int(time.time())
    claims = {"iss": dynamics.aad.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 600}
    claims |= {"oid": "o", "tid": dynamics.aad.tenant_id}
    header = {"alg": "HS256", "typ": "JWT", "kid": dynamics.aad.kid}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: d.mint_user_token("a@example.dk"),  # audience: the org, not Datavagt
        lambda d: d.mint_user_token("a@example.dk", audience=CLIENT_ID, ttl=-120),
        lambda d: d.mint_user_token(
            "a@example.dk", audience=CLIENT_ID, extra={"iss": "https://evil.example/t/v2.0"}
        ),
        lambda d: d.mint_user_token("a@example.dk", audience=CLIENT_ID, extra={"tid": "other"}),
        _foreign_rs256,
        _hs256_with_public_key,
        lambda d: jwt.encode({"oid": "o", "aud": CLIENT_ID}, None, algorithm="none"),
        lambda d: "not-a-jwt",
    ],
    ids=["audience", "expired", "issuer", "tenant", "foreign-key", "hs256", "none", "garbage"],
)
def test_dynamics_refusals(
    exchange_app: Flask, dynamics: DynamicsSimulator, forge: Callable[[DynamicsSimulator], str]
) -> None:
    status, body = dynamics_call(exchange_app, forge(dynamics))
    assert status == 401 and body["error"]["code"] == "unauthorized"
    assert events("login") == []


def test_dynamics_without_bearer_is_401(exchange_app: Flask) -> None:
    assert exchange_app.test_client().post("/auth/exchange/dynamics").status_code == 401


def freshdesk_call(
    app: Flask, body: object, secret: str | None = FRESHDESK_SECRET, *, key: bool = True
):
    """POST the exchange as the app's request template does; ``key`` adds the named agent's
    own API key (what the app keeps for the agent) unless the body brings one."""
    sim = app.config.get("FRESHDESK_SIM")
    if key and sim and isinstance(body, dict) and "agent_key" not in body:
        agent = str(body.get("agent_id", ""))
        if agent.isdigit() and int(agent) in sim.agents:
            body = {**body, "agent_key": sim.agent_api_key(int(agent))}
    headers = {"X-Datavagt-App-Secret": secret} if secret is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return app.test_client().post(
        "/auth/exchange/freshdesk", data=data, headers=headers, content_type="application/json"
    )


def test_freshdesk_app_secret_and_group_mapping(exchange_app: Flask) -> None:
    response = freshdesk_call(
        exchange_app,
        {
            "agent_id": "501",
            "email": "a@example.dk",
            "group_ids": ["12", "77"],
            "ticket_id": "1001",
        },
    )
    assert response.status_code == 200 and response.get_json()["role"] == "senior_agent"
    token = response.get_json()["token"]
    seed_ticket()
    view = exchange_app.test_client().get(
        "/api/tickets/freshdesk/1001", headers={"Authorization": f"Bearer {token}"}
    )
    assert view.status_code == 200 and view.get_json()["role"] == "senior_agent"
    assert events("view")[0].vendor_user == "501"


def test_freshdesk_identity_comes_from_the_agents_own_key(
    exchange_app: Flask, freshdesk: FreshdeskSimulator
) -> None:
    # The key alone names the agent: Freshdesk's View Me answers whose key it is.
    only_key = freshdesk_call(exchange_app, {"agent_key": freshdesk.agent_api_key(501)})
    assert only_key.status_code == 200 and only_key.get_json()["role"] == "senior_agent"
    refusals = {
        "id only": ({"agent_id": "501", "group_ids": ["77"]}, False),
        "another agent's key": (
            {"agent_id": "501", "agent_key": freshdesk.agent_api_key(502)},
            True,
        ),
        "a made-up key": ({"agent_id": "501", "agent_key": "not-a-real-key-123"}, True),
        "deactivated": ({"agent_id": "503"}, True),
    }
    messages = {}
    for name, (body, key) in refusals.items():
        response = freshdesk_call(exchange_app, body, key=key)
        assert response.status_code == 401, name
        messages[name] = response.get_json()["error"]["message"]
    assert messages["id only"] == "Freshdesk sign-in needs the agent's own API key"
    assert messages["another agent's key"] == "the API key belongs to another Freshdesk agent"
    assert messages["a made-up key"] == "no such Freshdesk agent"
    assert messages["deactivated"] == "this Freshdesk agent is deactivated"
    logins = events("login")
    assert len(logins) == 1 and logins[0].actor_id == "freshdesk:501"


def test_freshdesk_older_apps_may_be_allowed_the_id_alone(
    make_app: Callable[..., Flask], freshdesk: FreshdeskSimulator
) -> None:
    app = make_app(
        freshdesk={
            "base_url": freshdesk.url,
            "api_key": freshdesk.api_key,
            "webhook_user": "u",
            "webhook_password": "p",
            "app_secret": FRESHDESK_SECRET,
            "agent_identity": "app_secret",
        },
        agent_mapping={"freshdesk": {"default": "agent"}},
    )
    with app.app_context():
        response = freshdesk_call(app, {"agent_id": "502"}, key=False)
        assert response.status_code == 200 and response.get_json()["role"] == "agent"
        assert freshdesk_call(app, {}, key=False).status_code == 401  # neither id nor key


def test_freshdesk_unmapped_agent_is_denied_and_audited(exchange_app: Flask) -> None:
    response = freshdesk_call(exchange_app, {"agent_id": "502"})
    assert response.status_code == 401
    (login,) = events("login")
    assert login.details["outcome"] == "denied" and login.actor_id == "freshdesk:502"


@pytest.mark.parametrize(
    ("body", "secret", "status"),
    [
        ({"agent_id": "501", "group_ids": ["77"]}, "wrong-secret", 401),
        ({"agent_id": "501", "group_ids": ["77"]}, None, 401),
        ("{not json", FRESHDESK_SECRET, 400),
        ({"agent_id": "5 01"}, FRESHDESK_SECRET, 422),
        ({"agent_id": "501", "email": "not-an-email"}, FRESHDESK_SECRET, 422),
        ({"agent_id": "501", "admin": True}, FRESHDESK_SECRET, 422),
        ({"agent_id": "501", "group_ids": ["x"] * 101}, FRESHDESK_SECRET, 422),
    ],
)
def test_freshdesk_refusals(
    exchange_app: Flask, body: object, secret: str | None, status: int
) -> None:
    assert freshdesk_call(exchange_app, body, secret).status_code == status
    assert events("login") == []


def test_oversized_and_unknown_vendor(exchange_app: Flask) -> None:
    big = json.dumps({"agent_id": "501", "email": "a@example.dk", "pad": "x" * 40000})
    assert freshdesk_call(exchange_app, big).status_code == 413
    assert exchange_app.test_client().post("/auth/exchange/zendesk").status_code == 404


def test_unconfigured_vendor_is_401(app: Flask) -> None:
    response = freshdesk_call(app, {"agent_id": "501"}, "anything")
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Freshdesk exchange is not configured"


def test_role_change_between_logins_is_audited(exchange_app: Flask) -> None:
    assert freshdesk_call(exchange_app, {"agent_id": "501", "group_ids": ["77"]}).status_code == 200
    assert freshdesk_call(exchange_app, {"agent_id": "501", "group_ids": ["77"]}).status_code == 200
    assert events("role_change") == []
    # Removed from the senior group: the default is deny, so map the user explicitly instead.
    exchange_app.extensions["datavagt.agent_mapping"].vendors["freshdesk"]["users"]["501"] = "dpo"
    assert freshdesk_call(exchange_app, {"agent_id": "501"}).get_json()["role"] == "dpo"
    (change,) = events("role_change")
    assert change.details == {"from": "senior_agent", "to": "dpo"}
    assert change.actor_id == "freshdesk:501"


def test_freshdesk_groups_come_from_freshdesk_not_the_browser(exchange_app: Flask) -> None:
    """Red team: the Freshdesk agent identity was self-asserted by the browser."""
    claimed = freshdesk_call(exchange_app, {"agent_id": "502", "group_ids": ["77"]})
    assert claimed.status_code == 401  # 502 is in no group at Freshdesk: default deny
    invented = freshdesk_call(exchange_app, {"agent_id": "9999", "group_ids": ["77"]})
    assert invented.status_code == 401  # no agent, so no key: the id alone proves nothing
    assert "own API key" in invented.get_json()["error"]["message"]
    gone = freshdesk_call(exchange_app, {"agent_id": "503"})
    assert gone.status_code == 401 and "deactivated" in gone.get_json()["error"]["message"]
    real = freshdesk_call(exchange_app, {"agent_id": "501", "group_ids": []})
    assert real.status_code == 200 and real.get_json()["role"] == "senior_agent"
