"""Freshdesk: the app's request template sends the installation secret and the agent."""

from __future__ import annotations

import hmac

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


def freshdesk_identity(agent_id: str) -> VendorIdentity:
    """The agent the app names, as Freshdesk's own API describes them (View Agent).

    The app reads ``loggedInUser`` in the browser; only the id is taken from it. E-mail and
    groups (which pick the Datavagt role) come from Freshdesk, read with Datavagt's API key,
    so a browser cannot claim a group it is not in, nor an agent that does not exist or
    was deactivated. That the browser's user *is* this agent rests on the installation
    secret the request template adds on Freshdesk's servers.
    """
    adapter = current_app.extensions.get("datavagt.adapters", {}).get("freshdesk")
    if adapter is None:
        raise ExchangeError("Freshdesk exchange needs the Freshdesk API to check agents")
    try:
        agent = adapter.get_agent(agent_id)
    except NotFound as exc:
        raise ExchangeError("no such Freshdesk agent") from exc
    except AdapterError as exc:
        raise ApiError(503, "unavailable", "Freshdesk could not be asked; try again") from exc
    if not agent.active:
        raise ExchangeError("this Freshdesk agent is deactivated")
    return VendorIdentity(
        vendor="freshdesk", user_id=agent.external_id, email=agent.email, groups=agent.group_ids
    )
