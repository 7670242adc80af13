"""The consent service: give, withdraw, look up; every change audited in its transaction."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.auth.guard import Actor
from plugin.consent import receipt, withdrawal
from plugin.consent.texts import ConsentTextError, current_text, list_texts, publish_text
from plugin.extensions import db
from plugin.models import Consent, ConsentText, DataSubject
from plugin.models.types import utcnow
from plugin.subjects.groups import root_id

__all__ = [
    "ConsentError",
    "ConsentTextError",
    "active",
    "current_text",
    "give",
    "has_explicit",
    "hash_ip",
    "history",
    "list_texts",
    "publish_text",
    "withdraw",
]
# identifier_verified: whether the e-mail a form gave was already verified for the person
# (by a vendor record or a My pages sign-in) when the consent was given.
EVIDENCE_KEYS = frozenset(
    {"form", "ip_hash", "user_agent", "agent_id", "note_ref", "identifier_verified"}
)


class ConsentError(ValueError):
    """A consent change that cannot be made; ``code`` names the reason for API answers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def hash_ip(ip: str | None) -> str | None:
    """HMAC-SHA256 of an IP address under the keyring's index key (the raw IP is never kept)."""
    if not ip:
        return None
    key = current_app.extensions["datavagt.keyring"].index_key
    return hmac.new(key, b"ip:" + ip.encode("utf-8"), hashlib.sha256).hexdigest()


def _clean_evidence(evidence: dict[str, Any] | None) -> dict[str, Any]:
    evidence = dict(evidence or {})
    unknown = set(evidence) - EVIDENCE_KEYS
    if unknown:
        raise ConsentError("bad_evidence", f"unknown evidence keys: {sorted(unknown)}")
    if "user_agent" in evidence and evidence["user_agent"]:
        evidence["user_agent"] = str(evidence["user_agent"])[:300]
    return {k: v for k, v in evidence.items() if v not in (None, "")}


def give(
    subject_id: str,
    purpose: str,
    text_id: int,
    *,
    channel: str,
    evidence: dict[str, Any] | None = None,
    explicit: bool = False,
    actor: Actor,
    commit: bool = True,
) -> Consent:
    """Record a consent to the exact wording ``text_id`` and sign its receipt.

    ``commit=False`` leaves the transaction open for a caller that writes more (forms).
    """
    if channel not in receipt.CHANNELS:
        raise ConsentError("bad_channel", f"channel must be one of {', '.join(receipt.CHANNELS)}")
    text = db.session.get(ConsentText, text_id)
    if text is None:
        raise ConsentError("unknown_text", "unknown consent text")
    if text.purpose != purpose:
        raise ConsentError("text_purpose_mismatch", "the consent text belongs to another purpose")
    subject = db.session.get(DataSubject, subject_id)
    if subject is not None and subject.merged_into_id:
        # One person, one record: a consent given to a merged id lands on the survivor.
        subject_id = root_id(subject_id)
        subject = db.session.get(DataSubject, subject_id)
    if subject is None or subject.erased_at is not None:
        raise ConsentError("unknown_subject", "unknown data subject")
    consent = Consent(
        subject_id=subject_id,
        purpose=purpose,
        consent_text_id=text.id,
        explicit=bool(explicit),
        channel=channel,
        evidence=_clean_evidence(evidence),
        given_at=utcnow(),
    )
    consent.text = text
    db.session.add(consent)
    db.session.flush()
    consent.receipt = receipt.issue(consent, withdrawn=False)
    audit.record(
        audit.actions.CONSENT_GIVEN,
        actor=actor,
        subject_id=subject_id,
        details={
            "consent_id": consent.id,
            "purpose": purpose,
            "consent_text_id": text.id,
            "version": text.version,
            "language": text.language,
            "explicit": consent.explicit,
            "channel": channel,
        },
    )
    if commit:
        db.session.commit()
    return consent


def withdraw(consent_id: str, *, channel: str, actor: Actor, commit: bool = True) -> Consent:
    """Withdraw a consent (its given_at stays); issues a withdrawal receipt."""
    if channel not in receipt.CHANNELS:
        raise ConsentError("bad_channel", f"channel must be one of {', '.join(receipt.CHANNELS)}")
    consent = db.session.get(Consent, consent_id, with_for_update=True)
    if consent is None:
        raise ConsentError("unknown_consent", "unknown consent")
    if consent.withdrawn_at is not None:
        raise ConsentError("already_withdrawn", "the consent was already withdrawn")
    consent.withdrawn_at = utcnow()
    consent.withdrawn_channel = channel
    db.session.flush()
    # What the wording of this text version promised: stop, or erase what was collected.
    outcome = withdrawal.carry_out(consent)
    consent.withdrawal_effect = outcome
    consent.withdrawal_receipt = receipt.issue(consent, withdrawn=True)
    audit.record(
        audit.actions.CONSENT_WITHDRAWN,
        actor=actor,
        subject_id=consent.subject_id,
        details={
            "consent_id": consent.id,
            "purpose": consent.purpose,
            "consent_text_id": consent.consent_text_id,
            "channel": channel,
            "effect": {k: v for k, v in outcome.items() if k != "kept"},
            "kept": [
                {"ticket_ref": k["ticket_ref"], "reason": k["reason"], "until": k["until"]}
                for k in outcome["kept"]
            ],
        },
    )
    if commit:
        db.session.commit()
        withdrawal.after_commit(outcome)
    return consent


def active(subject_id: str, purpose: str) -> Consent | None:
    """The newest consent of subject × purpose that is not withdrawn."""
    return db.session.scalars(
        sa.select(Consent)
        .where(
            Consent.subject_id == subject_id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_at.desc())
        .limit(1)
    ).first()


def has_explicit(subject_id: str, purpose: str) -> bool:
    """Whether the subject holds an active explicit consent for the purpose (Art. 9(2)(a))."""
    found = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Consent)
        .where(
            Consent.subject_id == subject_id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
            Consent.explicit.is_(True),
        )
    )
    return bool(found)


def consents_of(subject_id: str) -> list[Consent]:
    """Every consent row of a subject, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Consent)
            .where(Consent.subject_id == subject_id)
            .order_by(Consent.given_at, Consent.id)
        )
    )


def to_dict(consent: Consent) -> dict[str, Any]:
    """A consent with the exact wording shown, as JSON-safe data."""
    text = consent.text
    return {
        "id": consent.id,
        "subject_id": consent.subject_id,
        "purpose": consent.purpose,
        "explicit": consent.explicit,
        "channel": consent.channel,
        "evidence": dict(consent.evidence or {}),
        "given_at": consent.given_at.isoformat(),
        "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        "withdrawn_channel": consent.withdrawn_channel,
        "active": consent.withdrawn_at is None,
        "withdrawal_effect": consent.withdrawal_effect,
        "withdrawal_receipt_text": (
            {lang: withdrawal.receipt_text(consent, lang) for lang in ("da", "en")}
            if consent.withdrawn_at is not None
            else None
        ),
        "text": {
            "id": text.id,
            "language": text.language,
            "version": text.version,
            "sha256": text.sha256,
            "published_at": text.published_at.isoformat(),
            "text": text.text,
            "on_withdrawal": text.on_withdrawal,
        },
    }


def history(subject_id: str) -> list[dict[str, Any]]:
    """Every consent of a subject, given and withdrawn, with the exact wording it showed."""
    return [to_dict(c) for c in consents_of(subject_id)]
