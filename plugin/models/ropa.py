"""Saved, signed versions of the record of processing (Art. 30)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class RopaVersion(db.Model):
    """One saved record (both languages) with its detached Ed25519 JWS; never changed."""

    __tablename__ = "ropa_versions"

    version: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(128))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    document: Mapped[dict] = mapped_column(sa.JSON)
    jws: Mapped[str] = mapped_column(sa.Text)
