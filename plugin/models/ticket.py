"""Vendor tickets and the personal data found in them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class Ticket(db.Model):
    """A vendor ticket or case, as Datavagt knows it (no personal data in clear)."""

    __tablename__ = "tickets"
    __table_args__ = (sa.UniqueConstraint("vendor", "external_id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    vendor: Mapped[str] = mapped_column(sa.String(32))
    external_id: Mapped[str] = mapped_column(sa.String(128))
    subject_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str | None] = mapped_column(
        sa.String(64), sa.ForeignKey("purposes.code"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(32), default="open")
    vendor_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retention_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Fields the vendor API would not let us rewrite: their data stays there, so retention shortens.
    unwritable_fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    legal_hold: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(sa.String(500))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    findings: Mapped[list[Finding]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan"
    )


class Finding(db.Model):
    """One piece of personal data found in a ticket field."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="SET NULL"), index=True
    )
    field: Mapped[str] = mapped_column(sa.String(128))
    type: Mapped[str] = mapped_column(sa.String(32))
    category: Mapped[str] = mapped_column(sa.String(16), index=True)
    start: Mapped[int] = mapped_column(sa.Integer)
    end: Mapped[int] = mapped_column(sa.Integer)
    score: Mapped[float] = mapped_column(sa.Float)
    detector: Mapped[str] = mapped_column(sa.String(64))
    vault_item_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("vault_items.id", ondelete="SET NULL")
    )
    masked: Mapped[str] = mapped_column(sa.String(255))  # the token written to the CRM
    written_back: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # Keyed hash of (ticket, field, type, value, occurrence): a re-run finds the same row.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    over_collection: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="findings")
