"""Consent receipts: Kantara Consent Receipt v1.1 fields, signed as an EdDSA JWS."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import current_app

from plugin.extensions import db
from plugin.keys import Keyring
from plugin.models import Consent, ConsentText, Purpose
from plugin.signing.jws import KeySource, SignatureError, sign_payload, verify_compact

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


class ReceiptError(SignatureError):
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
            "onWithdrawal": text.on_withdrawal,
        },
        "consentStatus": "withdrawn" if withdrawn else "given",
        "channel": consent.channel,
    }
    if withdrawn and consent.withdrawn_at is not None:
        body["withdrawalTimestamp"] = _epoch(consent.withdrawn_at)
        body["withdrawalMethod"] = COLLECTION_METHODS.get(
            consent.withdrawn_channel or "", consent.withdrawn_channel
        )
        effect = consent.withdrawal_effect or {}
        # What the withdrawal did, as counts and case references (no values).
        body["withdrawalEffect"] = {
            "promised": effect.get("promised", text.on_withdrawal),
            "valuesErased": effect.get("values_erased", 0),
            "cases": effect.get("cases", 0),
            "vendorJobs": effect.get("vendor_jobs", 0),
            "kept": [
                {"reference": k.get("reference"), "reason": k["reason"], "until": k["until"]}
                for k in effect.get("kept", [])
            ],
        }
    return body


def sign_receipt(keyring: Keyring, body: dict[str, Any]) -> str:
    """Compact JWS (EdDSA, kid of the active key) over the receipt's canonical JSON."""
    return sign_payload(keyring, body, RECEIPT_TYP)


def issue(consent: Consent, *, withdrawn: bool) -> str:
    """Build and sign the receipt for a consent's current state."""
    keyring: Keyring = current_app.extensions["datavagt.keyring"]
    return sign_receipt(keyring, build_receipt(consent, withdrawn=withdrawn))


def verify_receipt(keys: KeySource, token: str) -> dict[str, Any]:
    """The body of a valid receipt (keyring or JWK Set), or ReceiptError naming the problem."""
    try:
        body = verify_compact(keys, token.strip(), typ=RECEIPT_TYP)
    except SignatureError as exc:
        raise ReceiptError(str(exc)) from exc
    if body.get("version") != SPEC_VERSION or "consentReceiptID" not in body:
        raise ReceiptError("the payload is not a Kantara v1.1 consent receipt")
    return body


FILE_TYPE = "consent_receipt"


def receipt_file(consent: Consent, kind: str) -> dict[str, Any] | None:
    """The downloadable file for a consent's receipt (``kind`` given or withdrawn)."""
    token = consent.receipt if kind == "given" else consent.withdrawal_receipt
    if not token:
        return None
    return {"type": FILE_TYPE, "consent_id": consent.id, "kind": kind, "receipt": token}


def verify_file(document: dict[str, Any], keys: KeySource) -> str:
    """``datavagt verify`` hook: check a receipt file, return a one-line summary."""
    token = document.get("receipt")
    if not isinstance(token, str):
        raise ReceiptError('the file has no "receipt" JWS')
    body = verify_receipt(keys, token)
    if document.get("consent_id") not in (None, body.get("consentId")):
        raise ReceiptError("consent_id in the file does not match the signed receipt")
    if document.get("kind") not in (None, body.get("consentStatus")):
        raise ReceiptError("kind in the file does not match the signed receipt")
    text = body.get("consentText", {})
    return (
        f"consent receipt {body['consentReceiptID']}: {body['consentStatus']}, purpose "
        f"{text.get('purpose')} text v{text.get('version')} ({body.get('language')}), "
        f"signed by {body.get('piiControllers', [{}])[0].get('piiController')}"
    )
