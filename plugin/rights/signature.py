"""Signed exports: a detached-payload JWS (RFC 7515 App. F) over the canonical JSON."""

from __future__ import annotations

import json
from typing import Any

import jwt
from jwt.api_jws import PyJWS

from plugin.keys import Keyring, KeyringError

TYP = "datavagt-access-export+json"
ALGORITHMS = ["EdDSA"]


class SignatureError(Exception):
    """The export's signature does not verify; the message is safe to print."""


def canonical(document: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the exact bytes that are signed."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_document(keyring: Keyring, document: dict[str, Any]) -> dict[str, Any]:
    """``{"export": document, "jws": "<header>..<signature>"}`` signed by the active key."""
    key = keyring.active_signing_key
    token = PyJWS().encode(
        canonical(document),
        key.private,
        algorithm="EdDSA",
        headers={"kid": key.kid, "typ": TYP},
        is_payload_detached=True,
    )
    return {"export": document, "jws": token}


def verify_document(keyring: Keyring, envelope: dict[str, Any]) -> dict[str, Any]:
    """Check the envelope's signature with the keyring's public keys; returns the export."""
    try:
        document, token = envelope["export"], str(envelope["jws"])
        header = jwt.get_unverified_header(token)
        key = keyring.signing_key(str(header.get("kid", "")))
    except (KeyError, TypeError, jwt.PyJWTError, KeyringError) as exc:
        raise SignatureError("not a signed Datavagt export") from exc
    if header.get("typ") != TYP:
        raise SignatureError("not an access export")
    try:
        PyJWS().decode_complete(
            token, key.public, algorithms=ALGORITHMS, detached_payload=canonical(document)
        )
    except jwt.PyJWTError as exc:
        raise SignatureError("signature does not match the export") from exc
    return document
