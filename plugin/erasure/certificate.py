"""The signed deletion certificate: what was deleted where and when, without personal data."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.erasure.errors import ErasureError
from plugin.erasure.service import ERASURE, erasure_status
from plugin.extensions import db
from plugin.models import DataSubject, OutboxJob, SubjectKey
from plugin.retention.evidence import OBJECT_TYPES, verify
from plugin.signing.jws import KeySource, sign_payload, verify_compact

CERTIFICATE_TYP = "datavagt-deletion-certificate"
DOCUMENT_TYPE = "deletion_certificate"


def certificate_claims(subject_id: str) -> dict[str, Any]:
    """The certificate's content once every erasure job is done; ErasureError before."""
    status = erasure_status(subject_id)
    if status["state"] == "not_requested":
        raise ErasureError(404, "no_erasure", "No erasure was requested for this subject")
    if status["state"] != "complete":
        raise ErasureError(
            409,
            f"erasure_{status['state']}",
            "The erasure is not complete: "
            + ", ".join(f"{k}={v}" for k, v in status["jobs"].items() if v),
        )
    subject = db.session.get(DataSubject, subject_id)
    jobs = list(
        db.session.scalars(
            sa.select(OutboxJob)
            .where(OutboxJob.subject_id == subject_id, OutboxJob.reason == ERASURE)
            .order_by(OutboxJob.id)
        )
    )
    keyring = current_app.extensions["datavagt.keyring"]
    items = []
    for job in jobs:
        evidence = verify(job.evidence or "", keyring)  # our own evidence must still verify
        items.append(
            {
                "vendor": job.vendor,
                "object_type": OBJECT_TYPES.get(job.kind, "ticket"),
                "object_ref": evidence["object_ref"],
                "action": job.kind,
                "result": evidence["result"],
                "at": evidence["at"],
                "job": job.id,
                "evidence_sha256": hashlib.sha256((job.evidence or "").encode()).hexdigest(),
            }
        )
        if evidence.get("stores"):  # per vendor store: destroyed, or remains until a date
            items[-1]["stores"] = evidence["stores"]
    destroyed = db.session.scalar(
        sa.select(sa.func.max(SubjectKey.destroyed_at)).where(SubjectKey.subject_id == subject_id)
    )
    controller = current_app.extensions["datavagt.manifest"].data["controller"]
    completed = max((item["at"] for item in items), default=status["requested_at"])
    return {
        "type": DOCUMENT_TYPE,
        "controller": controller["name"],
        "subject": subject_id,  # Datavagt's pseudonymous id, never a name or address
        "requested_at": subject.erased_at.isoformat() if subject and subject.erased_at else None,
        "completed_at": completed,
        "vault": {
            "keys_destroyed_at": destroyed.isoformat() if destroyed else None,
            "method": "crypto-shredding: per-subject data keys destroyed",
        },
        "deleted": items,
    }


def certificate_document(subject_id: str) -> dict[str, Any]:
    """A file ``datavagt verify`` accepts: the claims and their compact JWS."""
    claims = certificate_claims(subject_id)
    token = sign_payload(current_app.extensions["datavagt.keyring"], claims, CERTIFICATE_TYP)
    return {"type": DOCUMENT_TYPE, "certificate": token, "claims": claims}


def verify_file(document: dict[str, Any], keys: KeySource) -> str:
    """``datavagt verify`` for a deletion certificate; the readable claims must match."""
    from plugin.signing.verify import VerificationError

    token = document.get("certificate")
    if not isinstance(token, str):
        raise VerificationError('deletion certificate file has no "certificate" token')
    claims = verify_compact(keys, token, CERTIFICATE_TYP)
    if "claims" in document and document["claims"] != claims:
        raise VerificationError("the readable claims differ from the signed ones")
    return (
        f"deletion certificate OK: subject {claims['subject']}, "
        f"{len(claims['deleted'])} vendor object(s), completed {claims['completed_at']}"
    )
