"""Freshdesk: the request template sends the installation secret; the agent's own API key
shows Freshdesk who the agent is."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Request, current_app

from plugin.access.mapping import VendorIdentity
from plugin.agents.exchange.errors import ExchangeError
from plugin.errors import ApiError
from plugin.vendors.errors import AdapterError, NotFound

SECRET_HEADER = "X-Datavagt-App-Secret"  # noqa: S105 - a header name, not a secret


def verify_freshdesk_secret(request: Request, settings: dict[str, str]) -> None:
    """Compare the installation secret in constant time (401 when absent or wrong)."""
    expected = settings.get("app_secret")
    if not expected:
        raise ExchangeError("Freshdesk exchange is not configured")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ExchangeError("Freshdesk app secret refused")


def freshdesk_identity(body: dict[str, Any], settings: dict[str, str]) -> VendorIdentity:
    """The agent, as Freshdesk's own API describes them; never as the browser claims.

    Default (``agent_identity: api_key``): the app sends the agent's own API key and
    Freshdesk's View Me (GET /api/v2/agents/me) answers whose key it is; a claimed
    ``agent_id`` must be that agent. The installation secret then only shows the call came
    through the app's request template. ``agent_identity: app_secret`` (older app versions)
    takes the id the browser read from ``loggedInUser`` and rests on that secret alone.
    E-mail and groups (which pick the Datavagt role) always come from Freshdesk, so a
    browser cannot claim a group it is not in, nor an agent that is deactivated.
    """
    adapter = current_app.extensions.get("datavagt.adapters", {}).get("freshdesk")
    if adapter is None:
        raise ExchangeError("Freshdesk exchange needs the Freshdesk API to check agents")
    mode = settings.get("agent_identity") or "api_key"
    try:
        if body.get("agent_key"):
            agent = adapter.agent_for_key(body["agent_key"])
            if body.get("agent_id") and body["agent_id"] != agent.external_id:
                raise ExchangeError("the API key belongs to another Freshdesk agent")
        elif mode == "app_secret" and body.get("agent_id"):
            agent = adapter.get_agent(body["agent_id"])
        else:
            raise ExchangeError("Freshdesk sign-in needs the agent's own API key")
    except NotFound as exc:
        raise ExchangeError("no such Freshdesk agent") from exc
    except AdapterError as exc:
        raise ApiError(503, "unavailable", "Freshdesk could not be asked; try again") from exc
    if not agent.active:
        raise ExchangeError("this Freshdesk agent is deactivated")
    return VendorIdentity(
        vendor="freshdesk", user_id=agent.external_id, email=agent.email, groups=agent.group_ids
    )
