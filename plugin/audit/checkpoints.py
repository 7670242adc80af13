"""Signed checkpoints of the chain head and Merkle root: every N events (sequencer) or T minutes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from plugin.audit.canonical import format_time
from plugin.audit.chain import chain_head, lock_chain
from plugin.extensions import db
from plugin.models.audit import AuditCheckpoint
from plugin.models.types import utcnow
from plugin.signing.jws import KeySource, sign_payload, verify_compact

CHECKPOINT_TYP = "datavagt-audit-checkpoint"


def audit_settings() -> dict[str, int]:
    """The manifest's ``audit:`` section (defaults filled in by the schema)."""
    return current_app.extensions["datavagt.manifest"].data["audit"]


def checkpoint_values(
    keyring: Any, seq: int, head_hash: str, root_hash: str, *, anchor: bool = False
) -> dict:
    """The columns of a checkpoint signing (seq, head_hash, time) with the active key.

    It is also an RFC 9162 signed tree head: ``tree_size`` (= seq) and ``root_hash`` (hex
    MTH of events 1..seq), ``timestamp`` in milliseconds since the epoch.
    """
    signed_at = utcnow()
    payload = {
        "seq": seq,
        "head_hash": head_hash,
        "signed_at": format_time(signed_at),
        "anchor": anchor,
        "tree_size": seq,
        "root_hash": root_hash,
        "timestamp": int(signed_at.timestamp() * 1000),
    }
    return {
        "seq": seq,
        "head_hash": head_hash,
        "signed_at": signed_at,
        "kid": keyring.active_signing_key.kid,
        "signature": sign_payload(keyring, payload, CHECKPOINT_TYP),
        "is_anchor": anchor,
        "root_hash": root_hash,
    }


def sign_checkpoint(session: Session, seq: int, head_hash: str, *, anchor: bool = False) -> Any:
    """Add a checkpoint signing (seq, head_hash, time); ``anchor`` marks a pruned chain's start."""
    from plugin.audit.proofs import root_hash  # proofs reads checkpoints too

    keyring = current_app.extensions["datavagt.keyring"]
    root = root_hash(session, seq)
    checkpoint = AuditCheckpoint(**checkpoint_values(keyring, seq, head_hash, root, anchor=anchor))
    session.add(checkpoint)
    session.flush()
    return checkpoint


def verify_checkpoint(keys: KeySource, checkpoint: Any) -> dict[str, Any]:
    """The signed payload when the signature verifies and matches the stored columns."""
    payload = verify_compact(keys, checkpoint.signature, typ=CHECKPOINT_TYP)
    if payload.get("seq") != checkpoint.seq or payload.get("head_hash") != checkpoint.head_hash:
        raise ValueError("its seq or head hash differs from what was signed")
    if bool(payload.get("anchor")) != bool(checkpoint.is_anchor):
        raise ValueError("its anchor flag differs from what was signed")
    if payload.get("root_hash") != checkpoint.root_hash:
        raise ValueError("its Merkle root hash differs from what was signed")
    if "tree_size" in payload and payload["tree_size"] != checkpoint.seq:
        raise ValueError("its tree size differs from its seq")
    return payload


def last_checkpoint(session: Session) -> AuditCheckpoint | None:
    """The checkpoint with the highest seq."""
    return session.scalars(
        sa.select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1)
    ).first()


def checkpoint_if_due(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the head if N events or T minutes passed since the last checkpoint (caller commits)."""
    session = db.session
    lock_chain(session)
    seq, head_hash = chain_head(session)
    last = last_checkpoint(session)
    if seq == 0 or (last is not None and last.seq >= seq):
        return None  # nothing new to sign
    settings = audit_settings()
    due = (
        force
        or last is None
        or seq - last.seq >= settings["checkpoint_every_events"]
        or utcnow() - last.signed_at >= timedelta(minutes=settings["checkpoint_every_minutes"])
    )
    return sign_checkpoint(session, seq, head_hash) if due else None


def checkpoint_job(app: Flask) -> None:
    """Scheduler entry (job ``audit_checkpoint``): sign the head when a checkpoint is due."""
    with app.app_context():
        try:
            checkpoint_if_due()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
