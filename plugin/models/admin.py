"""Admin console sessions kept server-side, so logging out ends them (stored hashed)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class AdminSession(db.Model):
    """A signed-in DPO or admin; the signed cookie holds the id, the table its SHA-256."""

    __tablename__ = "admin_sessions"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    actor_id: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
