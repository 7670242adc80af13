"""Encrypted storage of personal data: per-subject data keys and ciphertexts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow


class SubjectKey(db.Model):
    """A subject's data key, wrapped by a master key; destroying it crypto-shreds the subject."""

    __tablename__ = "subject_keys"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE"), index=True
    )
    master_key_id: Mapped[str] = mapped_column(sa.String(64))
    # None once destroyed: every ciphertext under this key is unreadable from then on.
    wrapped_key: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rewrapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class VaultItem(db.Model):
    """One original value, AES-GCM encrypted, bound to its subject, ticket and field."""

    __tablename__ = "vault_items"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE"), index=True
    )
    key_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("subject_keys.id", ondelete="CASCADE"), index=True
    )
    ticket_id: Mapped[int | None] = mapped_column(
        sa.Integer, sa.ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    field: Mapped[str] = mapped_column(sa.String(128))
    kind: Mapped[str] = mapped_column(sa.String(32))  # finding type, identifier, message
    nonce: Mapped[bytes] = mapped_column(sa.LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
