"""Secure messages (bodies sealed in the vault) and replies that left by plain e-mail."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow

DIRECTIONS = ("out", "in")  # out: agent -> person; in: person -> agent


class SecureMessage(db.Model):
    """One message between an agent and a person; the body lives encrypted in the vault."""

    __tablename__ = "secure_messages"
    __table_args__ = (sa.Index("ix_secure_messages_subject_created", "subject_id", "created_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE")
    )
    ticket_id: Mapped[int | None] = mapped_column(
        sa.Integer, sa.ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    # Set when the person wrote the message to explain a request (e.g. what to correct).
    request_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subject_requests.id", ondelete="SET NULL")
    )
    direction: Mapped[str] = mapped_column(sa.String(8))
    author: Mapped[str] = mapped_column(sa.String(128))  # agent id, or "subject"
    vault_item_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("vault_items.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PlainReply(db.Model):
    """An agent's reply the vendor sent by plain e-mail with personal data in it (no values)."""

    __tablename__ = "plain_replies"
    __table_args__ = (sa.UniqueConstraint("ticket_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(sa.String(128))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    findings: Mapped[int] = mapped_column(sa.Integer, default=0)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
