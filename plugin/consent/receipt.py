"""Consent receipts: Kantara Consent Receipt v1.1 fields, signed as an EdDSA JWS."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import jwt
from flask import current_app

from plugin.extensions import db
from plugin.keys import Keyring, KeyringError
from plugin.models import Consent, ConsentText, Purpose

SPEC_VERSION = "KI-CR-v1.1.0"
RECEIPT_TYP = "consent-receipt+jwt"
COLLECTION_METHODS = {
    "form": "web form",
    "portal": "web portal (My pages)",
    "chat": "chat, recorded by the service",
    "email": "e-mail, recorded by the service",
    "phone": "verbal on the phone, recorded by an agent",
    "agent": "recorded by an agent",
}
CHANNELS = tuple(COLLECTION_METHODS)


class ReceiptError(ValueError):
    """A receipt that does not verify; the message says why (safe to show)."""


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def build_receipt(consent: Consent, *, withdrawn: bool) -> dict[str, Any]:
    """The receipt body for a consent as given or as withdrawn (no personal data)."""
    manifest = current_app.extensions["datavagt.manifest"]
    keyring: Keyring = current_app.extensions["datavagt.keyring"]
    controller = manifest.data["controller"]
    text: ConsentText = consent.text
    purpose = db.session.get(Purpose, consent.purpose)
    policy_url = manifest.data.get("compliance", {}).get("policy_url")
    sensitive = bool(consent.explicit)
    body: dict[str, Any] = {
        "version": SPEC_VERSION,
        "jurisdiction": controller["country"],
        "consentTimestamp": _epoch(consent.given_at),
        "collectionMethod": COLLECTION_METHODS.get(consent.channel, consent.channel),
        "consentReceiptID": str(uuid.uuid4()),
        "publicKey": keyring.active_signing_key.jwk()["x"],
        "language": text.language,
        # The subject's Datavagt id: a pseudonym, never an e-mail address or name.
        "piiPrincipalId": consent.subject_id,
        "piiControllers": [
            {
                "piiController": controller["name"],
                "onBehalf": False,
                "contact": controller["contact"],
                "email": controller["contact"],
                "address": {"addressCountry": controller["country"]},
            }
        ],
        "policyUrl": policy_url or "",
        "services": [
            {
                "service": manifest.data["name"],
                "purposes": [
                    {
                        "purpose": purpose.name if purpose else consent.purpose,
                        "purposeCategory": [consent.purpose],
                        "consentType": "EXPLICIT" if consent.explicit else "EXPRESSED",
                        "piiCategory": list(purpose.allowed_categories) if purpose else [],
                        "primaryPurpose": True,
                        "termination": "until withdrawn",
                        "thirdPartyDisclosure": False,
                    }
                ],
            }
        ],
        "sensitive": sensitive,
        "spiCat": ["special"] if sensitive else [],
        # ISO/IEC TS 27560 record details: which wording, and the state this receipt attests.
        "consentId": consent.id,
        "consentText": {
            "id": text.id,
            "purpose": text.purpose,
            "version": text.version,
            "sha256": text.sha256,
        },
        "consentStatus": "withdrawn" if withdrawn else "given",
        "channel": consent.channel,
    }
    if withdrawn and consent.withdrawn_at is not None:
        body["withdrawalTimestamp"] = _epoch(consent.withdrawn_at)
        body["withdrawalMethod"] = COLLECTION_METHODS.get(
            consent.withdrawn_channel or "", consent.withdrawn_channel
        )
    return body


def sign_receipt(keyring: Keyring, body: dict[str, Any]) -> str:
    """Compact JWS (EdDSA, kid of the active key) over the receipt's JSON."""
    key = keyring.active_signing_key
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return jwt.api_jws.PyJWS().encode(
        payload, key.private, algorithm="EdDSA", headers={"kid": key.kid, "typ": RECEIPT_TYP}
    )


def issue(consent: Consent, *, withdrawn: bool) -> str:
    """Build and sign the receipt for a consent's current state."""
    keyring: Keyring = current_app.extensions["datavagt.keyring"]
    return sign_receipt(keyring, build_receipt(consent, withdrawn=withdrawn))


def verify_receipt(keyring: Keyring, token: str) -> dict[str, Any]:
    """The receipt body of a valid receipt JWS, or ReceiptError naming the problem."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise ReceiptError("not a compact JWS") from exc
    if header.get("typ") != RECEIPT_TYP:
        raise ReceiptError(f"not a consent receipt (typ {header.get('typ')!r})")
    try:
        key = keyring.signing_key(str(header.get("kid")))
    except KeyringError as exc:
        raise ReceiptError("signed with an unknown key") from exc
    try:
        payload = jwt.api_jws.PyJWS().decode(token, key.public, algorithms=["EdDSA"])
    except jwt.PyJWTError as exc:
        raise ReceiptError("the signature does not verify") from exc
    body = json.loads(payload)
    if body.get("version") != SPEC_VERSION or "consentReceiptID" not in body:
        raise ReceiptError("the payload is not a Kantara v1.1 consent receipt")
    return body
