"""Shared helpers for audit tests: seed a chain, tamper with rows directly in SQL."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.audit import actions, record
from plugin.auth import Actor
from plugin.extensions import db

AGENT = Actor(id="agent-1", role="agent", vendor="hubspot", vendor_user="hs-42")


def seed(count: int, actor: Actor = AGENT, action: str = actions.VIEW) -> None:
    """Append ``count`` events and commit."""
    for index in range(count):
        record(action, actor=actor, subject_id=f"s-{index % 3}", ticket_ref=f"hubspot:{index}")
    db.session.commit()


def sql(statement: str, **params: object) -> None:
    """Run raw SQL in its own transaction, as an attacker with database access would."""
    with db.engine.begin() as connection:
        connection.execute(sa.text(statement), params)
