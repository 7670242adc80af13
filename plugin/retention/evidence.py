"""Signed deletion evidence: one EdDSA JWS per completed vendor job (no personal data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jwt
from flask import current_app

from plugin.keys import Keyring, KeyringError

EVIDENCE_TYP = "deletion-evidence+jwt"
OBJECT_TYPES = {
    "delete_ticket": "ticket",
    "anonymise_ticket": "ticket",
    "delete_contact": "contact",
    "erase_contact": "contact",
    "anonymise_contact": "contact",
}


class EvidenceError(ValueError):
    """Evidence that does not verify; the message says why (safe to show)."""


def evidence_claims(
    *,
    job_id: int,
    vendor: str,
    action: str,
    object_ref: str,
    at: datetime,
    result: str,
    reason: str,
    rule: str | None = None,
) -> dict[str, Any]:
    """The signed statement: which vendor object, what was done, when, with what outcome."""
    claims: dict[str, Any] = {
        "typ": "deletion_evidence",
        "iss": "datavagt",
        "job": job_id,
        "vendor": vendor,
        "object_type": OBJECT_TYPES.get(action, "ticket"),
        "object_ref": object_ref,  # the vendor's record id, never a name or address
        "action": action,
        "reason": reason,
        "at": at.isoformat(),
        "result": result,
        "iat": int(at.timestamp()),
    }
    if rule:
        claims["rule"] = rule
    return claims


def sign(claims: dict[str, Any], typ: str = EVIDENCE_TYP) -> str:
    """Compact JWS over the claims with the keyring's active Ed25519 key."""
    keyring: Keyring = current_app.extensions["datavagt.keyring"]
    key = keyring.active_signing_key
    return jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid, "typ": typ})


def verify(token: str, keyring: Keyring, typ: str = EVIDENCE_TYP) -> dict[str, Any]:
    """The claims of a valid JWS signed by one of our published keys; EvidenceError otherwise."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise EvidenceError("not a compact JWS") from exc
    if header.get("typ") != typ:
        raise EvidenceError(f"expected typ {typ}")
    try:
        key = keyring.signing_key(str(header.get("kid")))
    except KeyringError as exc:
        raise EvidenceError("signed with an unknown key") from exc
    try:
        # Evidence never expires; only the signature and the algorithm are checked.
        return jwt.decode(token, key.public, algorithms=["EdDSA"], options={"verify_iat": False})
    except jwt.PyJWTError as exc:
        raise EvidenceError("signature does not verify") from exc
