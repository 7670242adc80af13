"""Bulk-access alert: agents who revealed more values in one hour than the manifest allows."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from plugin.audit.actions import REVEAL
from plugin.audit.canonical import format_time
from plugin.audit.checkpoints import audit_settings
from plugin.extensions import db
from plugin.models.audit import AuditEvent

WINDOW = timedelta(hours=1)


def bulk_reveal_alerts(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Per flagged agent: the busiest sliding hour (start, end, count) and total reveals."""
    limit = audit_settings()["bulk_reveal_per_hour"]
    rows = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.actor_role, AuditEvent.occurred_at)
        .where(
            AuditEvent.action == REVEAL,
            AuditEvent.occurred_at >= since,
            AuditEvent.occurred_at < until,
        )
        .order_by(AuditEvent.actor_id, AuditEvent.occurred_at)
        .execution_options(yield_per=2000)
    )
    alerts: list[dict[str, Any]] = []
    agent: str | None = None
    window: deque[datetime] = deque()
    best: dict[str, Any] = {}
    for actor_id, role, moment in rows:
        if actor_id != agent:
            _flush(alerts, best, limit)
            agent, window = actor_id, deque()
            best = {"agent": actor_id, "role": role, "count": 0, "total": 0}
        window.append(moment)
        while moment - window[0] >= WINDOW:
            window.popleft()
        best["total"] += 1
        if len(window) > best["count"]:
            best.update(count=len(window), window_start=window[0], window_end=moment)
    _flush(alerts, best, limit)
    return sorted(alerts, key=lambda alert: -alert["count"])


def _flush(alerts: list[dict[str, Any]], best: dict[str, Any], limit: int) -> None:
    if best and best["count"] > limit:
        alerts.append(
            {
                "agent": best["agent"],
                "role": best["role"],
                "count": best["count"],
                "limit": limit,
                "window_start": format_time(best["window_start"]),
                "window_end": format_time(best["window_end"]),
                "total_reveals": best["total"],
            }
        )
