"""My pages: single-use magic-link tokens and server-side portal sessions (stored hashed)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class PortalLoginToken(db.Model):
    """A magic link: only the SHA-256 of its random token is kept; used at most once."""

    __tablename__ = "portal_login_tokens"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # None for an address Datavagt does not know: the row exists so both answers cost the same.
    subject_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE"), index=True
    )
    # Blind index of the address the link was sent to: it must still lead to the subject.
    email_index: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PortalSession(db.Model):
    """A signed-in data subject; the cookie holds the id, the table only its SHA-256."""

    __tablename__ = "portal_sessions"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
