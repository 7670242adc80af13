"""The watch rules: bursts of reveals or exports per employee, and failed sign-ins.

Thresholds come from the manifest's ``alerts.thresholds`` per role (``default`` for any role
not listed): a burst is ``reveals`` (or ``exports``) events by one employee within
``window_seconds``. Each rule yields candidates ``{rule, key, params}``; the service decides
whether a candidate is new, a repeat, or already known.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.audit.actions import EXPORT, REVEAL
from plugin.audit.canonical import format_time
from plugin.extensions import db
from plugin.models.alert import SigninFailure
from plugin.models.audit import AuditEvent
from plugin.models.types import utcnow

BURST_RULES = {"bulk_reveal": (REVEAL, "reveals"), "mass_export": (EXPORT, "exports")}
SURFACES = ("admin_console", "agent_exchange", "portal")


def settings() -> dict[str, Any]:
    """The manifest's ``alerts:`` section (defaults filled in by its schema)."""
    return current_app.extensions["datavagt.manifest"].data["alerts"]


def threshold(role: str | None, measure: str) -> tuple[int, int] | None:
    """(limit, window seconds) for a role, falling back to ``default``; None when unset."""
    table = settings()["thresholds"]
    default = table.get("default") or {}
    own = table.get(role or "") or {}
    limit = own.get(measure) or default.get(measure)
    window = own.get("window_seconds") or default.get("window_seconds")
    return (int(limit), int(window)) if limit and window else None


def _longest_window() -> int:
    windows = [t.get("window_seconds") or 0 for t in settings()["thresholds"].values()]
    return max([w for w in windows if w] or [3600])


def bursts(rule: str, until: datetime | None = None) -> list[dict[str, Any]]:
    """Employees whose busiest window (ending within the lookback) reached their limit."""
    action, measure = BURST_RULES[rule]
    until = until or utcnow()
    since = until - timedelta(seconds=2 * _longest_window())
    rows = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.actor_role, AuditEvent.occurred_at)
        .where(
            AuditEvent.action == action,
            AuditEvent.occurred_at >= since,
            AuditEvent.occurred_at <= until,
        )
        .order_by(AuditEvent.actor_id, AuditEvent.actor_role, AuditEvent.occurred_at)
        .execution_options(yield_per=2000)
    )
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    current: tuple[str, str | None] | None = None
    window: deque[datetime] = deque()
    rule_limits: tuple[int, int] | None = None
    for actor_id, role, moment in rows:
        if (actor_id, role) != current:
            current, window = (actor_id, role), deque()
            rule_limits = threshold(role, measure)
        if rule_limits is None:
            continue
        limit, seconds = rule_limits
        window.append(moment)
        while moment - window[0] >= timedelta(seconds=seconds):
            window.popleft()
        best = found.get(current)
        if len(window) >= limit and (best is None or len(window) > best["count"]):
            found[current] = {
                "agent": actor_id,
                "role": role,
                "count": len(window),
                "limit": limit,
                "window_seconds": seconds,
                "window_start": format_time(window[0]),
                "window_end": format_time(moment),
            }
    return [
        {"rule": rule, "key": f"{rule}:{params['agent']}", "params": params}
        for params in sorted(found.values(), key=lambda p: (-p["count"], p["agent"]))
    ]


def count_failed_signin(surface: str, now: datetime | None = None) -> None:
    """Add one refused sign-in to this minute's counter and commit (the refusing request
    writes nothing else, so the commit carries only the counter)."""
    minute = (now or utcnow()).replace(second=0, microsecond=0)
    table = SigninFailure.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(minute=minute, surface=surface, count=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["minute", "surface"], set_={"count": table.c.count + 1}
        )
    )
    db.session.commit()


def failed_signins(until: datetime | None = None) -> list[dict[str, Any]]:
    """Surfaces whose refused sign-ins within the rule's window reached its count."""
    rule = settings()["failed_signins"]
    until = until or utcnow()
    since = until - timedelta(seconds=rule["window_seconds"])
    rows = db.session.execute(
        sa.select(
            SigninFailure.surface,
            sa.func.sum(SigninFailure.count),
            sa.func.max(SigninFailure.minute),
        )
        .where(SigninFailure.minute >= since.replace(second=0, microsecond=0))
        .where(SigninFailure.minute <= until)
        .group_by(SigninFailure.surface)
    )
    return [
        {
            "rule": "failed_signins",
            "key": f"failed_signins:{surface}",
            "params": {
                "surface": surface,
                "count": int(total),
                "limit": rule["count"],
                "window_seconds": rule["window_seconds"],
                # Counted per minute: the latest minute with a refusal ends the burst.
                "window_end": format_time(last),
            },
        }
        for surface, total, last in rows
        if int(total or 0) >= rule["count"]
    ]


def prune_signin_counts(before: datetime) -> None:
    """Drop counters no rule window reaches any more."""
    db.session.execute(sa.delete(SigninFailure).where(SigninFailure.minute < before))
