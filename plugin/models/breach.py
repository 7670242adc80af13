"""The breach register (GDPR Art. 33/34): one row per suspected or confirmed incident."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow

BREACH_STATUSES = ("suspected", "confirmed", "notified", "closed", "dismissed")


class Breach(db.Model):
    """What happened, the live counts at registration, the 72-hour clock and its reminders."""

    __tablename__ = "breaches"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), index=True, default="suspected")
    # "manual" or "alert:<rule>:<key>" for incidents an alert rule opened (deduplicated).
    source: Mapped[str] = mapped_column(sa.String(200), index=True, default="manual")
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)
    subjects_estimate: Mapped[int] = mapped_column(sa.Integer, default=0)
    records_estimate: Mapped[int] = mapped_column(sa.Integer, default=0)
    consequences: Mapped[str] = mapped_column(sa.Text, default="")
    measures: Mapped[str] = mapped_column(sa.Text, default="")
    high_risk: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    reminders: Mapped[list] = mapped_column(sa.JSON, default=list)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Art. 34: when the affected persons were told through My pages, and how many.
    subjects_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    subjects_notified: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
