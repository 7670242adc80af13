"""Saved versions of the record: both languages, dated, Ed25519-signed, diffable.

A saved version is ``{"type": "datavagt.ropa", "ropa": {...}, "jws": "<header>..<sig>"}``:
a detached-payload JWS (RFC 7515 App. F) over the canonical JSON of ``ropa``, made with the
keyring's active key (the same helper as checkpoints, receipts and exports), so
``datavagt verify FILE`` and anyone holding ``/.well-known/jwks.json`` can check it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import sqlalchemy as sa

from plugin import audit
from plugin.audit import actions
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.keys import Keyring
from plugin.manifest import Manifest
from plugin.models.ropa import RopaVersion
from plugin.models.types import utcnow
from plugin.ropa.builder import build_ropa
from plugin.ropa.i18n import LANGUAGES
from plugin.signing.jws import (
    KeySource,
    SignatureError,
    canonical,
    sign_detached,
    verify_detached,
)

FILE_TYPE = "datavagt.ropa"
TYP = "datavagt-ropa+json"
# Fields that change on every build and say nothing about the processing itself.
_VOLATILE = ("generated_at",)


def save_version(manifest: Manifest, keyring: Keyring, actor: Actor) -> RopaVersion:
    """Build the record in every language, sign it, store it as the next version, audit it."""
    latest = db.session.scalar(sa.select(sa.func.max(RopaVersion.version))) or 0
    created = utcnow()
    document = {
        "version": latest + 1,
        "created_at": created.isoformat(),
        "created_by": actor.id,
        "records": {lang: build_ropa(manifest, lang) for lang in LANGUAGES},
    }
    row = RopaVersion(
        version=latest + 1,
        created_at=created,
        created_by=actor.id,
        sha256=hashlib.sha256(canonical(document)).hexdigest(),
        document=document,
        jws=sign_detached(keyring, document, TYP),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actions.ROPA_SAVED,
        actor=actor,
        details={"version": row.version, "sha256": row.sha256},
    )
    return row


def envelope(row: RopaVersion) -> dict[str, Any]:
    """The signed file of a saved version."""
    return {"type": FILE_TYPE, "ropa": row.document, "jws": row.jws}


def summary(row: RopaVersion) -> dict[str, Any]:
    """A version's listing entry (no record body)."""
    kid = json.loads(base64.urlsafe_b64decode(row.jws.split(".")[0] + "==")).get("kid")
    return {
        "version": row.version,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "sha256": row.sha256,
        "kid": kid,
    }


def list_versions() -> list[RopaVersion]:
    """Saved versions, newest first."""
    return list(db.session.scalars(sa.select(RopaVersion).order_by(RopaVersion.version.desc())))


def get_version(number: int) -> RopaVersion | None:
    """One saved version, or None."""
    return db.session.get(RopaVersion, number)


def verify_document(env: dict[str, Any], keys: KeySource) -> dict[str, Any]:
    """The record of a valid signed file (checked with a Keyring or JWKS), else SignatureError."""
    try:
        document, token = env["ropa"], env["jws"]
    except (KeyError, TypeError) as exc:
        raise SignatureError("not a signed Datavagt record of processing") from exc
    return verify_detached(keys, document, token, TYP, "record of processing")


def verify_file(env: dict[str, Any], keys: KeySource) -> str:
    """`datavagt verify` hook: a one-line summary of a valid record."""
    document = verify_document(env, keys)
    return (
        f"record of processing version {document.get('version')} saved "
        f"{document.get('created_at')}: signature valid"
    )


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _VOLATILE:
                _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        # Activities, recipients and processors are keyed by their code, not their position.
        for index, item in enumerate(value):
            key = item.get("code") or item.get("vendor") if isinstance(item, dict) else None
            _flatten(item, f"{path}[{key if key else index}]", out)
    else:
        out[path] = value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What changed between two records (one language): added, removed and changed paths."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(old, "", before)
    _flatten(new, "", after)
    return {
        "added": [{"path": p, "value": after[p]} for p in sorted(after.keys() - before.keys())],
        "removed": [{"path": p, "value": before[p]} for p in sorted(before.keys() - after.keys())],
        "changed": [
            {"path": p, "from": before[p], "to": after[p]}
            for p in sorted(before.keys() & after.keys())
            if before[p] != after[p]
        ],
    }
