"""Consent texts (immutable wording) and the consents people gave or withdrew."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow


class ConsentText(db.Model):
    """The exact wording a person agreed to; never changed once published."""

    __tablename__ = "consent_texts"
    __table_args__ = (sa.UniqueConstraint("purpose", "language", "version"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(64), sa.ForeignKey("purposes.code"))
    language: Mapped[str] = mapped_column(sa.String(8))
    version: Mapped[int] = mapped_column(sa.Integer)
    text: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the wording promises a withdrawal does: "stop" processing, or "erase" the data
    # collected under the consent (plugin.consent.withdrawal carries it out).
    on_withdrawal: Mapped[str] = mapped_column(sa.String(16), default="stop", server_default="stop")


class Consent(db.Model):
    """Subject × purpose × wording shown, given and possibly withdrawn."""

    __tablename__ = "consents"
    __table_args__ = (sa.Index("ix_consents_subject_purpose", "subject_id", "purpose"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(64), sa.ForeignKey("purposes.code"))
    consent_text_id: Mapped[int] = mapped_column(sa.Integer, sa.ForeignKey("consent_texts.id"))
    explicit: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    channel: Mapped[str] = mapped_column(sa.String(16))
    evidence: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_channel: Mapped[str | None] = mapped_column(sa.String(16))
    receipt: Mapped[str | None] = mapped_column(sa.Text)  # compact JWS
    # A withdrawal issues its own receipt; the one for giving stays as it was.
    withdrawal_receipt: Mapped[str | None] = mapped_column(sa.Text)
    # What the withdrawal did (counts, kept cases with their ground and date; no values).
    withdrawal_effect: Mapped[dict | None] = mapped_column(sa.JSON)

    text: Mapped[ConsentText] = relationship()
