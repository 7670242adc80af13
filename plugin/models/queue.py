"""Durable queues: the webhook inbox and the vendor-call outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class InboxEvent(db.Model):
    """A vendor webhook event, stored before the webhook is answered."""

    __tablename__ = "inbox_events"
    __table_args__ = (
        sa.UniqueConstraint("vendor", "event_key"),
        sa.Index("ix_inbox_events_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    vendor: Mapped[str] = mapped_column(sa.String(32))
    event_key: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[str] = mapped_column(sa.String(128))
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # normalised event, no raw body
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_by: Mapped[str | None] = mapped_column(sa.String(64))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxJob(db.Model):
    """A vendor call to make (delete, anonymise, mask), executed exactly once."""

    __tablename__ = "outbox_jobs"
    __table_args__ = (sa.Index("ix_outbox_jobs_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    vendor: Mapped[str] = mapped_column(sa.String(32))
    target: Mapped[str] = mapped_column(sa.String(128))  # vendor object id
    subject_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    ticket_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    reason: Mapped[str] = mapped_column(sa.String(255))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_by: Mapped[str | None] = mapped_column(sa.String(64))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evidence: Mapped[str | None] = mapped_column(sa.Text)  # compact JWS of what was done
