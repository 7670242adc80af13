"""Data-subject requests (Art. 15-22) and their one-month deadline (Art. 12(3))."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow

REQUEST_KINDS = ("access", "rectification", "erasure", "restriction", "objection", "portability")
REQUEST_STATUSES = ("received", "in_progress", "completed", "rejected")


class DataSubjectRequest(db.Model):
    """A request a person made about their data, tracked until it is answered."""

    __tablename__ = "data_subject_requests"
    __table_args__ = (sa.Index("ix_data_subject_requests_open", "status", "due_on"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(sa.String(16))
    subject_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(sa.String(16), default="email")
    received_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date)
    # Art. 12(3): extendable once, by up to two further months, with a reason told to the person.
    extended_on: Mapped[date | None] = mapped_column(sa.Date)
    extension_reason: Mapped[str | None] = mapped_column(sa.String(500))
    extension_months: Mapped[int | None] = mapped_column(sa.Integer)
    # The deadline job's marks: the DPO reminded (7 days before) and the escalation (overdue).
    reminded_on: Mapped[date | None] = mapped_column(sa.Date)
    escalated_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default="received")
    resolution: Mapped[str | None] = mapped_column(sa.String(500))
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(sa.String(128))
