"""Turn a verified vendor identity into a Datavagt JWT; audit the login."""

from __future__ import annotations

from typing import Any

from flask import current_app

from plugin.access.mapping import MappingDenied, VendorIdentity, get_mapping
from plugin.agents.exchange.errors import ExchangeError
from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.auth.tokens import DEFAULT_TTL, issue_token
from plugin.extensions import db


def exchange(identity: VendorIdentity, method: str) -> dict[str, Any]:
    """Map the identity to a role, issue a 15-minute token and record ``login``."""
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
    )
    record(
        actions.LOGIN,
        actor=Actor(id=agent_id, role=role, vendor=identity.vendor, vendor_user=identity.user_id),
        details={"vendor": identity.vendor, "method": method, "outcome": "granted"},
    )
    db.session.commit()
    return {"token": token, "expires_in": int(DEFAULT_TTL.total_seconds()), "role": role}
