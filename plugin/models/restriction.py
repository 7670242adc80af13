"""Restriction (Art. 18) and objection (Art. 21) flags that stop processing for a purpose."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow

RESTRICTION_KINDS = ("restriction", "objection")


class ProcessingRestriction(db.Model):
    """Processing of a subject's data is stopped for one purpose (or all: purpose None)."""

    __tablename__ = "processing_restrictions"
    __table_args__ = (sa.Index("ix_processing_restrictions_active", "subject_id", "lifted_at"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE")
    )
    purpose: Mapped[str | None] = mapped_column(sa.String(64), sa.ForeignKey("purposes.code"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(sa.String(128))
    # Art. 18(3): when the person was told the restriction will be lifted (before lifted_at).
    lift_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Art. 21(1): the DPO's compelling legitimate grounds that override an objection.
    compelling_grounds: Mapped[str | None] = mapped_column(sa.String(500))
