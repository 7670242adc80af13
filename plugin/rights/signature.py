"""Signed exports: a detached-payload JWS (RFC 7515 App. F) over the canonical JSON.

The file is ``{"type": "datavagt.access_export", "export": {...}, "jws": "<header>..<sig>"}``;
anyone can verify it with the JWKS: put ``BASE64URL(canonical(export))`` between the dots.
"""

from __future__ import annotations

from typing import Any

from plugin.keys import Keyring
from plugin.signing.jws import (
    KeySource,
    SignatureError,
    sign_detached,
    verify_detached,
)

FILE_TYPE = "datavagt.access_export"
TYP = "datavagt-access-export+json"


def sign_document(keyring: Keyring, document: dict[str, Any]) -> dict[str, Any]:
    """The signed envelope of ``document`` (active key; payload detached from the token)."""
    return {"type": FILE_TYPE, "export": document, "jws": sign_detached(keyring, document, TYP)}


def verify_document(envelope: dict[str, Any], keys: KeySource) -> dict[str, Any]:
    """The export of a valid envelope (checked with a Keyring or JWKS), else SignatureError."""
    try:
        document, token = envelope["export"], envelope["jws"]
    except (KeyError, TypeError) as exc:
        raise SignatureError("not a signed Datavagt access export") from exc
    return verify_detached(keys, document, token, TYP, "access export")


def verify_file(envelope: dict[str, Any], keys: KeySource) -> str:
    """`datavagt verify` hook: a one-line summary of a valid export."""
    document = verify_document(envelope, keys)
    return (
        f"access export of subject {document.get('subject_id')} generated "
        f"{document.get('generated_at')}: signature valid"
    )
