"""Turn a verified vendor identity into a Datavagt JWT; audit the login."""

from __future__ import annotations

from typing import Any

from flask import current_app

from plugin.access.mapping import MappingDenied, VendorIdentity, get_mapping
from plugin.agents.exchange.errors import ExchangeError
from plugin.audit import actions, record
from plugin.audit.queries import newest
from plugin.auth.guard import Actor
from plugin.auth.tokens import DEFAULT_TTL, issue_token
from plugin.extensions import db


def _last_granted_role(agent_id: str) -> str | None:
    """The role of the agent's previous successful login, if any (queued or chained)."""
    return newest("actor_role", not_null=("actor_role",), actor_id=agent_id, action=actions.LOGIN)


def exchange(identity: VendorIdentity, method: str, ticket: str | None = None) -> dict[str, Any]:
    """Map the identity to a role, issue a 15-minute token and record ``login``.

    The token names its vendor and the ticket the widget was opened on (``None``: opened
    elsewhere); ``plugin.agents.binding`` holds every ticket route to that.
    """
    agent_id = f"{identity.vendor}:{identity.user_id}"
    try:
        role = get_mapping().role_for(identity)
    except MappingDenied as exc:
        # A verified user without a role is worth an audit trail; forged calls are not.
        record(
            actions.LOGIN,
            actor=Actor(id=agent_id, vendor=identity.vendor, vendor_user=identity.user_id),
            details={"vendor": identity.vendor, "method": method, "outcome": "denied"},
        )
        db.session.commit()
        raise ExchangeError("this user has no Datavagt role") from exc
    token = issue_token(
        current_app.extensions["datavagt.keyring"],
        agent=agent_id,
        role=role,
        vendor=identity.vendor,
        vendor_user=identity.user_id,
        extra={"ticket": ticket},
    )
    actor = Actor(id=agent_id, role=role, vendor=identity.vendor, vendor_user=identity.user_id)
    previous = _last_granted_role(agent_id)
    if previous is not None and previous != role:
        # The CRM moved the user to another group or the mapping changed: worth its own event.
        record(actions.ROLE_CHANGE, actor=actor, details={"from": previous, "to": role})
    record(
        actions.LOGIN,
        actor=actor,
        details={
            "vendor": identity.vendor,
            "method": method,
            "outcome": "granted",
            **({"ticket": ticket} if ticket else {}),
        },
    )
    db.session.commit()
    return {"token": token, "expires_in": int(DEFAULT_TTL.total_seconds()), "role": role}
