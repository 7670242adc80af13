"""Checkpoints exported for anchoring outside Datavagt, and the verifier for such files."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.audit.canonical import format_time
from plugin.audit.checkpoints import CHECKPOINT_TYP
from plugin.models.audit import AuditCheckpoint
from plugin.models.types import utcnow
from plugin.signing.jws import KeySource, SignatureError, verify_compact

FILE_TYPE = "datavagt.audit.checkpoints"
FILE_VERSION = 1


def export_checkpoints(session: Session) -> dict[str, Any]:
    """Every checkpoint as a JSON document an auditor keeps (``datavagt verify`` checks it)."""
    checkpoints = session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.seq))
    return {
        "type": FILE_TYPE,
        "version": FILE_VERSION,
        "exported_at": format_time(utcnow()),
        "checkpoints": [
            {
                "seq": cp.seq,
                "head_hash": cp.head_hash,
                "signed_at": format_time(cp.signed_at),
                "kid": cp.kid,
                "anchor": cp.is_anchor,
                "jws": cp.signature,
            }
            for cp in checkpoints
        ],
    }


def verify_file(document: dict[str, Any], keys: KeySource) -> str:
    """Check every checkpoint's signature and that the readable fields match the signed ones."""
    entries = document.get("checkpoints")
    if document.get("version") != FILE_VERSION or not isinstance(entries, list):
        raise SignatureError(f"not a version {FILE_VERSION} checkpoint file")
    previous = 0
    for index, entry in enumerate(entries):
        where = f"checkpoint {index + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("jws"), str):
            raise SignatureError(f"{where}: no signature")
        try:
            payload = verify_compact(keys, entry["jws"], typ=CHECKPOINT_TYP)
        except SignatureError as exc:
            raise SignatureError(f"{where} (seq {entry.get('seq')}): {exc}") from exc
        for name in ("seq", "head_hash", "signed_at", "anchor"):
            if entry.get(name) != payload.get(name):
                raise SignatureError(f"{where} (seq {entry.get('seq')}): {name} was altered")
        if payload["seq"] <= previous:
            raise SignatureError(f"{where} (seq {payload['seq']}): out of order")
        previous = payload["seq"]
    return f"{len(entries)} audit checkpoints verified (up to seq {previous})"
