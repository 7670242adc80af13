"""Data protection impact assessments (GDPR Art. 35): drafts, risks, sign-off, review."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow

DPIA_STATUSES = ("draft", "signed_off")


class Dpia(db.Model):
    """One assessment: the inventory it was drafted from, risks and measures, its sign-off."""

    __tablename__ = "dpias"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    title: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), index=True, default="draft")
    # The assessment this one revises (a signed-off DPIA is never edited, only revised).
    revision_of: Mapped[str | None] = mapped_column(sa.String(36), nullable=True)
    # Counts and configuration as they were when the draft was made (no personal data).
    scope: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # EDPB WP248 screening criteria: {code: true/false}; some derived, the rest the DPO's call.
    criteria: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    risks: Mapped[list] = mapped_column(sa.JSON, default=list)
    necessity: Mapped[str] = mapped_column(sa.Text, default="")  # Art. 35(7)(b)
    dpo_advice: Mapped[str] = mapped_column(sa.Text, default="")  # Art. 35(2)
    review_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    signed_off_by: Mapped[str | None] = mapped_column(sa.String(128), nullable=True)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signature: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
