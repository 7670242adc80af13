"""Audit events (hash-chained) and signed checkpoints of the chain head."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import BigIntPK, UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Who did what to whose data, when and why; never the values themselves."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, unique=True)  # position in the chain
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    actor_role: Mapped[str | None] = mapped_column(sa.String(32))
    vendor_user: Mapped[str | None] = mapped_column(sa.String(128))
    action: Mapped[str] = mapped_column(sa.String(48), index=True)
    subject_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    ticket_ref: Mapped[str | None] = mapped_column(sa.String(170), index=True)
    field: Mapped[str | None] = mapped_column(sa.String(128))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(32))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditCheckpoint(db.Model):
    """A signature over the chain head at ``seq``, exportable for outside anchoring."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    head_hash: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kid: Mapped[str] = mapped_column(sa.String(64))
    signature: Mapped[str] = mapped_column(sa.Text)
    # Set on the checkpoint a pruned chain starts from.
    is_anchor: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # RFC 9162 root hash (hex) of events 1..seq, signed with the rest; None before 0009.
    root_hash: Mapped[str | None] = mapped_column(sa.String(64))


class AuditQueued(db.Model):
    """An event a request committed, waiting for the sequencer to chain it (no seq, no hash).

    Requests only INSERT here, in their own transaction and without any lock, so readers of
    tickets never wait for each other; the sequencer moves rows to ``audit_events`` in
    batches and deletes them in the same transaction (so a crash loses nothing).
    """

    __tablename__ = "audit_queue"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[str] = mapped_column(sa.String(128))
    actor_role: Mapped[str | None] = mapped_column(sa.String(32))
    vendor_user: Mapped[str | None] = mapped_column(sa.String(128))
    action: Mapped[str] = mapped_column(sa.String(48))
    subject_id: Mapped[str | None] = mapped_column(sa.String(36))
    ticket_ref: Mapped[str | None] = mapped_column(sa.String(170))
    field: Mapped[str | None] = mapped_column(sa.String(128))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(32))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class AuditVerified(db.Model):
    """Where the last successful verification ended: a signed checkpoint and the Merkle
    frontier there, so the next run starts from it (``datavagt audit verify --incremental``).

    ``signature`` is a JWS by the log's key over (seq, head_hash, frontier): a row edited
    to skip tampered history does not verify.
    """

    __tablename__ = "audit_verified"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    head_hash: Mapped[str] = mapped_column(sa.String(64))
    frontier: Mapped[list] = mapped_column(sa.JSON)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signature: Mapped[str] = mapped_column(sa.Text)
