"""Dynamics adapter against the Dataverse + Azure AD simulator."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import requests

from adapters.dynamics import DynamicsAdapter
from adapters.dynamics.simulator import DynamicsSimulator
from plugin.vendors.contract import WebhookEvent
from plugin.vendors.errors import AdapterConfigError, CredentialsError, NotFound
from tests.adapters.conftest import dynamics_adapter

INCIDENT = "/api/data/v9.2/incidents({id})"


def _token_calls(sim: DynamicsSimulator) -> int:
    return sim.count("POST", f"/{sim.aad.tenant_id}/oauth2/v2.0/token")


def _incident(sim: DynamicsSimulator) -> str:
    return next(iter(sim.incidents))


def test_get_ticket_expands_customer(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    ticket = dynamics.get_ticket(_incident(dynamics_sim))
    assert ticket.subject == "Refusion af dobbelt betaling"
    assert ticket.requester and ticket.requester.phone == "+45 21 34 56 78"
    assert _token_calls(dynamics_sim) == 1


def test_iter_tickets_follows_next_link(dynamics_sim: DynamicsSimulator) -> None:
    adapter = dynamics_adapter(dynamics_sim, page_size=2)
    tickets = list(adapter.iter_tickets(datetime.now(UTC) - timedelta(hours=1)))
    assert len(tickets) == 5 and len({t.external_id for t in tickets}) == 5
    assert dynamics_sim.count("GET", "/api/data/v9.2/incidents") == 3
    assert sum(t.closed for t in tickets) == 1


def test_write_delete_and_missing(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    iid = _incident(dynamics_sim)
    dynamics.write_fields(iid, {"description": "[CPR ••••••-••85]"})
    assert dynamics_sim.incidents[iid]["description"] == "[CPR ••••••-••85]"
    dynamics.delete_ticket(iid)
    with pytest.raises(NotFound) as info:
        dynamics.write_fields(iid, {"title": "x"})
    assert info.value.code == "0x80040217"


def test_erase_contact_delete_or_anonymise(dynamics_sim: DynamicsSimulator) -> None:
    deleting = dynamics_adapter(dynamics_sim)
    deleting.erase_contact("lars.nielsen@example.dk")
    assert all(
        c["emailaddress1"] != "lars.nielsen@example.dk" for c in dynamics_sim.contacts.values()
    )
    anonymising = dynamics_adapter(dynamics_sim, erase_mode="anonymise")
    anonymising.erase_contact("emily.carter@example.com")
    assert dynamics_sim.count("PATCH", "/api/data/v9.2/contacts({id})") == 1
    assert not any(
        c["emailaddress1"] == "emily.carter@example.com" for c in dynamics_sim.contacts.values()
    )
    with pytest.raises(NotFound):
        deleting.erase_contact("lars.nielsen@example.dk")


def test_token_is_refreshed_before_expiry() -> None:
    with DynamicsSimulator(token_ttl=2) as sim:
        sim.seed_demo()
        adapter = dynamics_adapter(sim, token_leeway=1)
        adapter.get_ticket(_incident(sim))
        adapter.get_ticket(_incident(sim))
        assert _token_calls(sim) == 1
        time.sleep(1.2)
        adapter.get_ticket(_incident(sim))
        assert _token_calls(sim) == 2
        assert adapter.session.token_fetches == 2


def test_bad_client_secret_is_one_token_call(dynamics_sim: DynamicsSimulator) -> None:
    adapter = dynamics_adapter(dynamics_sim, client_secret="wrong")
    with pytest.raises(CredentialsError) as info:
        adapter.get_ticket(_incident(dynamics_sim))
    assert info.value.code == "invalid_client"
    assert _token_calls(dynamics_sim) == 1
    assert dynamics_sim.count("GET", INCIDENT) == 0


def test_429_with_documented_body_then_success(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    dynamics_sim.configure(fail_next=1, fail_status=429)
    assert dynamics.get_ticket(_incident(dynamics_sim)).subject
    assert dynamics_sim.count("GET", INCIDENT) == 2


def test_own_change_is_the_application_user(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    ours = WebhookEvent("dynamics", "k", "updated", "ticket", "x", actor=dynamics_sim.app_user_id)
    theirs = WebhookEvent("dynamics", "k", "updated", "ticket", "x", actor="someone")
    assert dynamics.is_own_change(ours) and not dynamics.is_own_change(theirs)
    assert dynamics_sim.count("GET", "/api/data/v9.2/WhoAmI") == 1


def test_openid_discovery_jwks_and_user_tokens(dynamics_sim: DynamicsSimulator) -> None:
    tenant = dynamics_sim.aad.tenant_id
    config = requests.get(
        f"{dynamics_sim.url}/{tenant}/v2.0/.well-known/openid-configuration", timeout=5
    ).json()
    assert config["token_endpoint"].endswith(f"/{tenant}/oauth2/v2.0/token")
    keys = requests.get(config["jwks_uri"], timeout=5).json()
    token = dynamics_sim.mint_user_token("agent@contoso.dk", name="Agent A")
    key = jwt.PyJWKSet.from_dict(keys).keys[0].key
    claims = jwt.decode(
        token, key, algorithms=["RS256"], audience=dynamics_sim.url, issuer=config["issuer"]
    )
    assert {"oid", "upn", "tid", "exp"} <= set(claims) and claims["tid"] == tenant


def test_api_rejects_expired_token(dynamics_sim: DynamicsSimulator) -> None:
    token = dynamics_sim.mint_user_token("a@b.dk", ttl=-10)
    response = requests.get(
        f"{dynamics_sim.url}/api/data/v9.2/incidents",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 401 and "WWW-Authenticate" in response.headers


def test_from_settings_names_missing_variable() -> None:
    with pytest.raises(AdapterConfigError, match="DATAVAGT_DYNAMICS_WEBHOOK_KEY"):
        DynamicsAdapter.from_settings(
            {"org_url": "https://o", "tenant_id": "t", "client_id": "c", "client_secret": "s"}
        )
