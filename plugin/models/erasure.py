"""Issued deletion certificates: one signed version per state an erasure reached."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow


class ErasureCertificate(db.Model):
    """A signed certificate version: ``pending_expiry`` (with dates) first, ``complete`` last.

    No personal data: the subject's pseudonymous id, vendor object ids and dates only.
    """

    __tablename__ = "erasure_certificates"
    __table_args__ = (sa.UniqueConstraint("subject_id", "version"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    # Not a foreign key: the certificate outlives anything that may later remove the subject.
    subject_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    state: Mapped[str] = mapped_column(sa.String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the follow-up job looks again (the earliest date a remaining copy disappears).
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    token: Mapped[str] = mapped_column(sa.Text)  # compact JWS of the claims
