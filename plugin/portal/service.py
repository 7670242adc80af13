"""What a signed-in person can do: consents, export, requests. Each write is audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin.consent import receipt
from plugin.consent import service as consents
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.messages.service import note_for_request, subject_actor
from plugin.models import Consent, ConsentText, DataSubjectRequest
from plugin.rights import export as exports
from plugin.rights import requests
from plugin.subjects.groups import group_ids

PORTAL_KINDS = ("erasure", "rectification")
MAX_NOTE_CHARS = 2000


def _own_consent(subject_id: str, consent_id: str) -> Consent:
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.subject_id not in group_ids(subject_id):
        raise ApiError(404, "not_found", "Consent not found")
    return consent


def withdraw(subject_id: str, consent_id: str) -> Consent:
    """Withdraw one of the person's consents (receipt issued, audited)."""
    _own_consent(subject_id, consent_id)
    try:
        return consents.withdraw(consent_id, channel="portal", actor=subject_actor(subject_id))
    except consents.ConsentError as exc:
        raise ApiError(409, exc.code, str(exc)) from exc


def give_again(subject_id: str, purpose: str, text_id: int, evidence: dict[str, Any]) -> Consent:
    """Consent again to a purpose the person consented to before, with the wording shown."""
    ids = group_ids(subject_id)
    previous = db.session.scalars(
        sa.select(Consent)
        .where(Consent.subject_id.in_(ids), Consent.purpose == purpose)
        .order_by(Consent.given_at.desc())
        .limit(1)
    ).first()
    text = db.session.get(ConsentText, text_id)
    if previous is None or text is None or text.purpose != purpose:
        raise ApiError(404, "not_found", "Nothing to consent to")
    if consents.active(previous.subject_id, purpose) is not None:
        raise ApiError(409, "already_given", "The consent is already given")
    try:
        return consents.give(
            subject_id,
            purpose,
            text.id,
            channel="portal",
            evidence={"form": "portal", **evidence},
            explicit=previous.explicit,  # the same kind of consent the person gave before
            actor=subject_actor(subject_id),
        )
    except consents.ConsentError as exc:
        raise ApiError(409, exc.code, str(exc)) from exc


def receipt_file(subject_id: str, consent_id: str, kind: str) -> dict[str, Any]:
    """The signed receipt file of one of the person's consents (given or withdrawn)."""
    found = receipt.receipt_file(_own_consent(subject_id, consent_id), kind)
    if found is None:
        raise ApiError(404, "not_found", "No such receipt")
    return found


def export(subject_id: str, lang: str) -> dict[str, Any]:
    """An access request answered at once: the signed export (audited), request completed."""
    actor = subject_actor(subject_id)
    row = requests.create("access", actor, subject_id=subject_id, channel="portal")
    envelope = exports.export(subject_id, actor, fmt="json", lang=lang)
    requests.close(row.id, "completed", actor, "Signed export downloaded from My pages")
    return envelope


def portability(subject_id: str, fmt: str) -> tuple[str, str]:
    """A portability request (Art. 20) answered at once: JSON or CSV, audited, completed."""
    actor = subject_actor(subject_id)
    row = requests.create("portability", actor, subject_id=subject_id, channel="portal")
    body = exports.portability(subject_id, actor, fmt)
    requests.close(row.id, "completed", actor, "Portable copy downloaded from My pages")
    return body


def ask(subject_id: str, kind: str, note: str = "") -> DataSubjectRequest:
    """Register an erasure or correction request; a note is sealed as a secure message."""
    if kind not in PORTAL_KINDS:
        raise ApiError(404, "not_found", "Unknown request")
    note = note.strip()
    if len(note) > MAX_NOTE_CHARS or (kind == "rectification" and not note):
        raise ApiError(422, "validation_failed", "Describe the correction (max 2000 characters)")
    row = requests.create(kind, subject_actor(subject_id), subject_id=subject_id, channel="portal")
    if note:
        note_for_request(subject_id, row.id, note)
        db.session.commit()
    return row
