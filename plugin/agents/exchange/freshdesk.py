"""Freshdesk: the app's request template sends the installation secret and the agent."""

from __future__ import annotations

import hmac

from flask import Request

from plugin.access.mapping import VendorIdentity
from plugin.agents.exchange.errors import ExchangeError

SECRET_HEADER = "X-Datavagt-App-Secret"  # noqa: S105 - a header name, not a secret


def verify_freshdesk_secret(request: Request, settings: dict[str, str]) -> None:
    """Compare the installation secret in constant time (401 when absent or wrong)."""
    expected = settings.get("app_secret")
    if not expected:
        raise ExchangeError("Freshdesk exchange is not configured")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ExchangeError("Freshdesk app secret refused")


def freshdesk_identity(agent_id: str, email: str | None, group_ids: list[str]) -> VendorIdentity:
    """The agent the app read from ``loggedInUser`` (trusted because the secret matched)."""
    return VendorIdentity(
        vendor="freshdesk", user_id=agent_id, email=email, groups=tuple(group_ids)
    )
