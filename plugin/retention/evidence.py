"""Signed deletion evidence: one EdDSA JWS per completed vendor job (no personal data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from plugin.signing.jws import KeySource, sign_payload, verify_compact

EVIDENCE_TYP = "datavagt-deletion-evidence"
OBJECT_TYPES = {
    "delete_ticket": "ticket",
    "anonymise_ticket": "ticket",
    "delete_contact": "contact",
    "erase_contact": "contact",
    "anonymise_contact": "contact",
}


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
    stores: tuple[dict[str, str], ...] = (),
) -> dict[str, Any]:
    """The signed statement: which vendor object, what was done, when, with what outcome."""
    claims: dict[str, Any] = {
        "type": "deletion_evidence",
        "job": job_id,
        "vendor": vendor,
        "object_type": OBJECT_TYPES.get(action, "ticket"),
        "object_ref": object_ref,  # the vendor's record id, never a name or address
        "action": action,
        "reason": reason,
        "at": at.isoformat(),
        "result": result,  # done (2xx) or already_absent (404: gone before we asked)
    }
    if rule:
        claims["rule"] = rule
    if stores:
        claims["stores"] = [dict(item) for item in stores]  # what remains at the vendor, until
    return claims


def sign(claims: dict[str, Any]) -> str:
    """Compact JWS over the claims with the keyring's active Ed25519 key."""
    return sign_payload(current_app.extensions["datavagt.keyring"], claims, EVIDENCE_TYP)


def verify(token: str, keys: KeySource) -> dict[str, Any]:
    """The claims of valid evidence; SignatureError otherwise."""
    return verify_compact(keys, token, EVIDENCE_TYP)


def verify_file(document: dict[str, Any], keys: KeySource) -> str:
    """``datavagt verify`` for ``{"type": "deletion_evidence", "evidence": "<jws>"}``."""
    from plugin.signing.verify import VerificationError

    token = document.get("evidence")
    if not isinstance(token, str):
        raise VerificationError('deletion evidence file has no "evidence" token')
    claims = verify(token, keys)
    if "claims" in document and document["claims"] != claims:
        raise VerificationError("the readable claims differ from the signed ones")
    return (
        f"deletion evidence OK: job {claims['job']} {claims['action']} "
        f"{claims['vendor']}:{claims['object_ref']} {claims['result']} at {claims['at']}"
    )
