"""Compact JWS (EdDSA/Ed25519) over canonical JSON: checkpoints, receipts, evidence, exports.

``sign_payload`` signs any JSON object with the keyring's active key; the header carries
``alg`` (always EdDSA), ``kid`` and ``typ`` (what the payload is, e.g.
``datavagt-audit-checkpoint``). ``verify_compact`` checks a token against a Keyring or a
JWK Set (the content of ``/.well-known/jwks.json``), so auditors can verify with public keys
only; pass ``typ`` to refuse a valid signature over a different kind of document.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
from jwt.api_jws import PyJWS

from plugin.keys import Keyring, KeyringError

ALGORITHM = "EdDSA"  # pinned: never taken from the token header
KeySource = Keyring | dict[str, Any]
_JWS = PyJWS(algorithms=[ALGORITHM])


class SignatureError(Exception):
    """A signature that does not verify; the message is safe to show."""


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sign_payload(keyring: Keyring, payload: dict[str, Any], typ: str) -> str:
    """Sign ``payload`` (a JSON object) with the active signing key; returns a compact JWS."""
    key = keyring.active_signing_key
    return _JWS.encode(
        _canonical(payload), key.private, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": typ}
    )


def _public_key(keys: KeySource, kid: str) -> Any:
    if isinstance(keys, Keyring):
        try:
            return keys.signing_key(kid).public
        except KeyringError as exc:
            raise SignatureError(f"unknown signing key {kid!r}") from exc
    for jwk in keys.get("keys", []):
        if isinstance(jwk, dict) and jwk.get("kid") == kid:
            try:
                return jwt.PyJWK(jwk, algorithm=ALGORITHM).key
            except jwt.PyJWTError as exc:
                raise SignatureError(f"signing key {kid!r} is not a valid Ed25519 JWK") from exc
    raise SignatureError(f"unknown signing key {kid!r}")


def verify_compact(keys: KeySource, token: str, typ: str | None = None) -> dict[str, Any]:
    """The payload of a valid token (checked against ``keys``), or raise SignatureError."""
    try:
        header = _JWS.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SignatureError("malformed signature") from exc
    if header.get("alg") != ALGORITHM:
        raise SignatureError("signature algorithm not allowed")
    if typ is not None and header.get("typ") != typ:
        raise SignatureError(f"expected a {typ} signature")
    public = _public_key(keys, str(header.get("kid", "")))
    try:
        raw = _JWS.decode(token, public, algorithms=[ALGORITHM])
    except jwt.PyJWTError as exc:
        raise SignatureError("signature does not verify") from exc
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise SignatureError("signed payload is not JSON") from exc
    if not isinstance(payload, dict):
        raise SignatureError("signed payload is not a JSON object")
    return payload


def canonical(document: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the exact bytes a detached signature covers."""
    return _canonical(document)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def sign_detached(keyring: Keyring, document: dict[str, Any], typ: str) -> str:
    """A detached-payload JWS (RFC 7515 App. F) over ``canonical(document)``: ``header..sig``."""
    header, _payload, signature = sign_payload(keyring, document, typ).split(".")
    return f"{header}..{signature}"


def verify_detached(
    keys: KeySource, document: Any, token: Any, typ: str, what: str
) -> dict[str, Any]:
    """``document`` when ``token`` is a valid detached signature over it, else SignatureError.

    ``what`` names the file in the messages ("access export", "record of processing").
    """
    try:
        header, empty, signature = str(token).split(".")
    except ValueError as exc:
        raise SignatureError(f"not a signed Datavagt {what}") from exc
    if empty or not isinstance(document, dict):
        raise SignatureError(f"not a detached {what} signature")
    signed = verify_compact(keys, f"{header}.{_b64(canonical(document))}.{signature}", typ)
    if signed != json.loads(canonical(document)):
        raise SignatureError(f"signature does not match the {what}")
    return document
