"""Dynamics exchange: only a person's delegated token for our widget becomes an agent.

Red team (issue 17): a client-credentials token (``idtyp: app``, no ``scp``/``upn``) was
mapped to ``agent`` with its app ``roles`` read as groups; v1.0-issuer tokens (the tenant
default) were refused while ``azp``/``scp`` were never checked.
"""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.auth.tokens import verify_token
from simulators.dynamics.simulator import DynamicsSimulator
from tests.agents.helpers import events
from tests.agents.test_exchange import (
    CLIENT_ID,
    dynamics,
    dynamics_call,
    exchange_app,
    freshdesk,
)

__all__ = ["dynamics", "exchange_app", "freshdesk"]


def test_an_app_only_token_is_refused(exchange_app: Flask, dynamics: DynamicsSimulator) -> None:
    token = dynamics.aad.mint_app_token(audience=CLIENT_ID, roles=["dpo", "Datavagt.Admin"])
    status, body = dynamics_call(exchange_app, token)
    assert status == 401 and "app-only" in body["error"]["message"]
    assert events("login") == []


def test_an_app_token_without_idtyp_is_refused_for_lacking_scp(
    exchange_app: Flask, dynamics: DynamicsSimulator
) -> None:
    token = dynamics.mint_user_token(
        "svc@example.dk", audience=CLIENT_ID, extra={"scp": None, "roles": ["dpo"]}
    )
    assert dynamics_call(exchange_app, token)[0] == 401


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_v1_and_v2_user_tokens_are_both_accepted(
    exchange_app: Flask, dynamics: DynamicsSimulator, version: str
) -> None:
    audience = f"api://{CLIENT_ID}" if version == "1.0" else CLIENT_ID
    token = dynamics.mint_user_token(
        "dpo@example.dk", audience=audience, oid="oid-v", version=version
    )
    status, body = dynamics_call(exchange_app, token)
    assert status == 200 and body["role"] == "dpo"
    assert verify_token(exchange_app.extensions["datavagt.keyring"], body["token"])["sub"] == (
        "dynamics:oid-v"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"client_id": "99999999-2222-4333-8444-555555555555"},  # azp: another app
        {"version": "1.0", "client_id": "99999999-2222-4333-8444-555555555555"},  # appid
        {"scope": "User.Read"},  # not our scope
        {"extra": {"ver": "1.0"}},  # v2 issuer claiming to be v1
        {"extra": {"oid": ["a", "b"]}},
        {"extra": {"groups": "admins"}},
        {"extra": {"idtyp": "app"}},
    ],
    ids=["azp", "appid", "scp", "ver-iss", "oid-list", "groups-str", "idtyp"],
)
def test_user_tokens_with_wrong_client_scope_or_claim_types_are_refused(
    exchange_app: Flask, dynamics: DynamicsSimulator, change: dict
) -> None:
    token = dynamics.mint_user_token("a@example.dk", audience=CLIENT_ID, **change)
    status, body = dynamics_call(exchange_app, token)
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_app_roles_of_a_user_still_count_as_groups(
    exchange_app: Flask, dynamics: DynamicsSimulator
) -> None:
    """A person's app roles (assigned in Entra) may map to a Datavagt role; only app tokens
    are cut off."""
    token = dynamics.mint_user_token("x@example.dk", audience=CLIENT_ID, extra={"roles": []})
    assert dynamics_call(exchange_app, token)[0] == 200
