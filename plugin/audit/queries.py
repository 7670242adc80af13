"""Reading the audit trail: filters, keyset pages, streams and "who accessed my data"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from plugin.audit.canonical import format_time
from plugin.audit.sequencer import flush
from plugin.extensions import db
from plugin.models.audit import AuditEvent, AuditQueued

EXPORT_FIELDS = (
    "seq",
    "occurred_at",
    "agent",
    "role",
    "vendor_user",
    "action",
    "subject_id",
    "ticket_ref",
    "field",
    "reason",
    "request_id",
    "source",
    "details",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to read; None means any."""

    subject: str | None = None
    agent: str | None = None
    ticket: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        """SQL conditions for the set filters."""
        found: list[sa.ColumnElement[bool]] = []
        if self.subject is not None:
            found.append(AuditEvent.subject_id == self.subject)
        if self.agent is not None:
            found.append(AuditEvent.actor_id == self.agent)
        if self.ticket is not None:
            found.append(AuditEvent.ticket_ref == self.ticket)
        if self.action is not None:
            found.append(AuditEvent.action == self.action)
        if self.since is not None:
            found.append(AuditEvent.occurred_at >= self.since)
        if self.until is not None:
            found.append(AuditEvent.occurred_at < self.until)
        return found


def event_dict(event: AuditEvent) -> dict[str, Any]:
    """An event as plain JSON-ready data (ids and codes; no personal data values)."""
    return {
        "seq": event.seq,
        "occurred_at": format_time(event.occurred_at),
        "agent": event.actor_id,
        "role": event.actor_role,
        "vendor_user": event.vendor_user,
        "action": event.action,
        "subject_id": event.subject_id,
        "ticket_ref": event.ticket_ref,
        "field": event.field,
        "reason": event.reason,
        "request_id": event.request_id,
        "source": event.source,
        "details": event.details or {},
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def page(
    selection: AuditFilter, *, before: int | None = None, limit: int = 100
) -> tuple[list[dict[str, Any]], int | None]:
    """Newest first, ``limit`` events below seq ``before``; returns (events, next cursor)."""
    flush()  # the trail up to now, not up to the sequencer's last pass
    query = sa.select(AuditEvent).where(*selection.clauses())
    if before is not None:
        query = query.where(AuditEvent.seq < before)
    rows = db.session.scalars(query.order_by(AuditEvent.seq.desc()).limit(limit + 1)).all()
    cursor = rows[limit - 1].seq if len(rows) > limit else None
    return [event_dict(e) for e in rows[:limit]], cursor


def stream(selection: AuditFilter, page_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every matching event, oldest first, read in keyset pages (constant memory)."""
    flush()
    after = None
    while True:
        query = sa.select(AuditEvent).where(*selection.clauses())
        if after is not None:
            query = query.where(AuditEvent.seq > after)
        rows = db.session.scalars(query.order_by(AuditEvent.seq).limit(page_size)).all()
        for event in rows:
            yield event_dict(event)
        if len(rows) < page_size:
            return
        after = rows[-1].seq
        db.session.expunge_all()  # keep the identity map from growing with the export


def accessed_by(subject_id: str) -> list[dict[str, Any]]:
    """Who accessed this subject's data: agent, role, vendor_user, action, at, field, reason."""
    return [
        {
            "agent": event["agent"],
            "role": event["role"],
            "vendor_user": event["vendor_user"],
            "action": event["action"],
            "at": event["occurred_at"],
            "field": event["field"],
            "reason": event["reason"],
        }
        for event in stream(AuditFilter(subject=subject_id))
    ]


def newest(column: str, *, not_null: tuple[str, ...] = (), **equals: Any) -> Any:
    """``column`` of the newest event whose columns equal ``equals``, queued or chained.

    For the few decisions that depend on the last event of a kind (an agent's last login
    role, the last audited policy): a queued event is newer than every chained one.
    """
    for model, order in ((AuditQueued, AuditQueued.id), (AuditEvent, AuditEvent.seq)):
        clauses = [getattr(model, name) == value for name, value in equals.items()]
        clauses += [getattr(model, name).is_not(None) for name in not_null]
        found = db.session.execute(
            sa.select(getattr(model, column)).where(*clauses).order_by(order.desc()).limit(1)
        ).first()
        if found is not None:
            return found[0]
    return None
