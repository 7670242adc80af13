"""Agent tokens are bound to their vendor and to the ticket the widget was opened on.

Red team (issue 17): a token exchanged for Freshdesk read HubSpot and Dynamics tickets, and
any ticket by id enumeration (with its secure-message thread).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from flask import Flask

from adapters.hubspot.signature import sign_v3
from plugin.auth.tokens import issue_token, verify_token
from tests.agents.seeding import seed_ticket
from tests.agents.test_exchange import (
    FRESHDESK_SECRET,
    HUBSPOT_SECRET,
    dynamics,
    exchange_app,
    freshdesk,
    freshdesk_call,
)

__all__ = ["dynamics", "exchange_app", "freshdesk"]


def _freshdesk_token(app: Flask, ticket: str | None, groups: list[str] | None = None) -> str:
    body = {"agent_id": "501", "group_ids": groups or ["77"]}
    if ticket is not None:
        body["ticket_id"] = ticket
    response = freshdesk_call(app, body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def _get(app: Flask, path: str, token: str) -> int:
    return app.test_client().get(path, headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_freshdesk_bound_token_cannot_read_a_hubspot_or_dynamics_ticket(
    exchange_app: Flask,
) -> None:
    seed_ticket("freshdesk", "1001")
    seed_ticket("hubspot", "1001")
    seed_ticket("dynamics", "1001")
    token = _freshdesk_token(exchange_app, "1001")
    assert _get(exchange_app, "/api/tickets/freshdesk/1001", token) == 200
    assert _get(exchange_app, "/api/tickets/hubspot/1001", token) == 403
    assert _get(exchange_app, "/api/tickets/dynamics/1001", token) == 403
    assert _get(exchange_app, "/api/messages/hubspot/1001", token) == 403


def test_another_ticket_by_id_enumeration_is_refused(exchange_app: Flask) -> None:
    seed_ticket("freshdesk", "1001")
    seed_ticket("freshdesk", "1002")
    token = _freshdesk_token(exchange_app, "1001")
    assert _get(exchange_app, "/api/tickets/freshdesk/1002", token) == 403
    assert _get(exchange_app, "/api/messages/freshdesk/1002", token) == 403
    # Unknown ids answer the same 403 as existing ones: no oracle for enumeration.
    assert _get(exchange_app, "/api/tickets/freshdesk/999999", token) == 403
    reveal = exchange_app.test_client().post(
        "/api/tickets/freshdesk/1002/reveal",
        json={"field": "description", "finding": 1, "reason": "checking"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reveal.status_code == 403


def test_a_token_opened_on_no_ticket_reads_none(exchange_app: Flask) -> None:
    seed_ticket("freshdesk", "1001")
    token = _freshdesk_token(exchange_app, None)
    assert verify_token(exchange_app.extensions["datavagt.keyring"], token)["ticket"] is None
    assert _get(exchange_app, "/api/tickets/freshdesk/1001", token) == 403


def test_a_search_role_reaches_other_tickets_of_its_vendor_only(exchange_app: Flask) -> None:
    seed_ticket("freshdesk", "1001")
    seed_ticket("freshdesk", "1002")
    seed_ticket("hubspot", "1003")
    keyring = exchange_app.extensions["datavagt.keyring"]
    lead = issue_token(
        keyring, agent="freshdesk:9", role="team_lead", vendor="freshdesk", extra={"ticket": "1001"}
    )
    assert _get(exchange_app, "/api/tickets/freshdesk/1002", lead) == 200
    assert _get(exchange_app, "/api/tickets/hubspot/1003", lead) == 403


def test_hubspot_binds_the_ticket_hubspot_signed(exchange_app: Flask) -> None:
    query = urlencode(
        {
            "userId": "7",
            "portalId": "4711",
            "associatedObjectType": "TICKET",
            "associatedObjectId": "1001",
        }
    )
    body = b'{"ticketId": "1002"}'  # what the card's body claims does not count
    stamp = str(int(time.time() * 1000))
    url = f"http://localhost/auth/exchange/hubspot?{query}"
    headers = {
        "X-HubSpot-Signature-v3": sign_v3(HUBSPOT_SECRET, "POST", url, body, stamp),
        "X-HubSpot-Request-Timestamp": stamp,
        "Content-Type": "application/json",
    }
    response = exchange_app.test_client().post(
        f"/auth/exchange/hubspot?{query}", data=body, headers=headers
    )
    assert response.status_code == 200
    claims = verify_token(exchange_app.extensions["datavagt.keyring"], response.get_json()["token"])
    assert claims["ticket"] == "1001" and claims["vendor"] == "hubspot"


@pytest.mark.parametrize(
    "claims",
    [{"role": ["dpo"]}, {"role": {"x": 1}}, {"vendor": ["a"]}, {"ticket": 5}, {"sub": ""}],
)
def test_signed_tokens_with_wrong_claim_types_are_401_not_500(
    exchange_app: Flask, claims: dict
) -> None:
    """Red team: a JWT with ``role`` as a list answered 500."""
    keyring = exchange_app.extensions["datavagt.keyring"]
    token = issue_token(keyring, agent="x", role="agent", extra=claims)
    response = exchange_app.test_client().get(
        "/api/tickets/freshdesk/1001", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_the_freshdesk_secret_still_gates_the_exchange(exchange_app: Flask) -> None:
    response = freshdesk_call(exchange_app, {"agent_id": "501", "ticket_id": "1"}, secret="x")
    assert response.status_code == 401
    assert FRESHDESK_SECRET != "x"
