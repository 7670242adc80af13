"""Signed exports: a detached-payload JWS (RFC 7515 App. F) over the canonical JSON.

The file is ``{"type": "datavagt.access_export", "export": {...}, "jws": "<header>..<sig>"}``;
anyone can verify it with the JWKS: put ``BASE64URL(canonical(export))`` between the dots.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from plugin.keys import Keyring
from plugin.signing.jws import KeySource, SignatureError, sign_payload, verify_compact

FILE_TYPE = "datavagt.access_export"
TYP = "datavagt-access-export+json"


def canonical(document: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the exact bytes that are signed."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def sign_document(keyring: Keyring, document: dict[str, Any]) -> dict[str, Any]:
    """The signed envelope of ``document`` (active key; payload detached from the token)."""
    header, _payload, signature = sign_payload(keyring, document, TYP).split(".")
    return {"type": FILE_TYPE, "export": document, "jws": f"{header}..{signature}"}


def verify_document(envelope: dict[str, Any], keys: KeySource) -> dict[str, Any]:
    """The export of a valid envelope (checked with a Keyring or JWKS), else SignatureError."""
    try:
        document, token = envelope["export"], str(envelope["jws"])
        header, empty, signature = token.split(".")
    except (KeyError, TypeError, ValueError) as exc:
        raise SignatureError("not a signed Datavagt access export") from exc
    if empty or not isinstance(document, dict):
        raise SignatureError("not a detached access-export signature")
    signed = verify_compact(keys, f"{header}.{_b64(canonical(document))}.{signature}", TYP)
    if signed != json.loads(canonical(document)):
        raise SignatureError("signature does not match the export")
    return document


def verify_file(envelope: dict[str, Any], keys: KeySource) -> str:
    """`datavagt verify` hook: a one-line summary of a valid export."""
    document = verify_document(envelope, keys)
    return (
        f"access export of subject {document.get('subject_id')} generated "
        f"{document.get('generated_at')}: signature valid"
    )
