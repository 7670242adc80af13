"""Alerts raised by the watch rules, and failed sign-ins counted per minute."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow

ALERT_STATUSES = ("open", "acknowledged")


class Alert(db.Model):
    """One alert: which rule, about whom (an employee or a surface), delivered where, acked."""

    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    rule: Mapped[str] = mapped_column(sa.String(32), index=True)
    # Rule + what it is about (an agent id, a sign-in surface): one open alert per key.
    key: Mapped[str] = mapped_column(sa.String(200), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), index=True, default="open")
    # Counts, limits, window, agent id and role: never a customer's data.
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    occurrences: Mapped[int] = mapped_column(sa.Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deliveries: Mapped[list] = mapped_column(sa.JSON, default=list)
    breach_id: Mapped[str | None] = mapped_column(sa.String(36), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(sa.String(128), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SigninFailure(db.Model):
    """Refused sign-ins per surface and minute: counted, not audited, so a flood of forged
    tokens cannot grow the audit trail, yet still trips the failed sign-in rule."""

    __tablename__ = "signin_failures"

    minute: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    surface: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer, default=0)
