"""One rate budget per vendor shared by every replica: the requests sent in the window."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db


class RateSlot(db.Model):
    """A request (of ``cost`` credits) sent to a vendor at ``sent_at`` (database clock,
    epoch seconds); rows older than the vendor's window are dropped as it slides."""

    __tablename__ = "vendor_rate_slots"
    __table_args__ = (sa.Index("ix_vendor_rate_slots_vendor_sent", "vendor", "sent_at"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    vendor: Mapped[str] = mapped_column(sa.String(32))
    sent_at: Mapped[float] = mapped_column(sa.Float)
    cost: Mapped[int] = mapped_column(sa.Integer, default=1)


class RateLimit(db.Model):
    """What a vendor last reported of its limit (so a replica that starts cold paces at it,
    not at the documented floor) and until when its last 429 stops every replica."""

    __tablename__ = "vendor_rate_limits"

    vendor: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    limit: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    window: Mapped[float | None] = mapped_column(sa.Float, nullable=True)
    blocked_until: Mapped[float] = mapped_column(sa.Float, default=0.0)
