"""Purposes of processing, mirrored from the manifest so rows can refer to them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class Purpose(db.Model):
    """Why data is processed: legal basis, allowed categories, retention rule."""

    __tablename__ = "purposes"

    code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    legal_basis: Mapped[str] = mapped_column(sa.String(64))
    allowed_categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    retention: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
