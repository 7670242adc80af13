"""Submit an intake form: consents checked, vendor ticket with tokens, originals vaulted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.auth.guard import Actor
from plugin.classify import Classifier
from plugin.consent import service as consents
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.forms.definition import ConsentBox, FormDefinition
from plugin.forms.pseudonymise import Piece, pseudonymise
from plugin.models import ConsentText, Finding, SubjectIdentifier, Ticket
from plugin.models.types import utcnow
from plugin.subjects.groups import group_ids
from plugin.subjects.identity import blind_index, resolve_contact
from plugin.subjects.pseudonym import requester_address
from plugin.vault import get_vault
from plugin.vendors.contract import Adapter, VendorContact
from plugin.vendors.errors import AdapterError


@dataclass(frozen=True)
class Submission:
    """A validated submission plus what the page showed and what the person ticked."""

    form: FormDefinition
    values: dict[str, str]
    shown: tuple[int, ...]
    given: tuple[int, ...]
    lang: str
    ip: str | None
    user_agent: str | None


def _box(form: FormDefinition, purpose: str) -> ConsentBox | None:
    return next((b for b in form.consents if b.purpose == purpose), None)


def check_consents(sub: Submission) -> list[tuple[ConsentText, ConsentBox]]:
    """The ticked texts with their boxes; 422 for unknown, unshown or missing required ones."""
    shown: dict[int, ConsentText] = {}
    for text_id in sub.shown:
        text = db.session.get(ConsentText, text_id)
        if text is None or _box(sub.form, text.purpose) is None:
            # Record exactly what was shown, but never a wording this form can't show.
            raise ApiError(422, "unknown_consent_text", f"unknown consent text {text_id}")
        shown[text_id] = text
    ticked: list[tuple[ConsentText, ConsentBox]] = []
    for text_id in sub.given:
        if text_id not in shown:
            raise ApiError(422, "consent_not_shown", f"consent text {text_id} was not shown")
        box = _box(sub.form, shown[text_id].purpose)
        assert box is not None
        ticked.append((shown[text_id], box))
    for box in sub.form.consents:
        if box.required and all(t.purpose != box.purpose for t, _ in ticked):
            raise ApiError(422, "consent_required", f"consent for {box.purpose!r} is required")
    return ticked


def _adapter(form: FormDefinition) -> tuple[str, Adapter]:
    adapters: dict[str, Adapter] = current_app.extensions.get("datavagt.adapters", {})
    name = form.vendor or next(iter(sorted(adapters)), None)
    if name is None or name not in adapters:
        raise ApiError(503, "no_vendor", "No helpdesk is configured to receive this form")
    return name, adapters[name]


def _classifier() -> Classifier:
    found = current_app.extensions.get("datavagt.forms.classifier")
    if found is None:
        found = current_app.extensions["datavagt.forms.classifier"] = Classifier()
    return found


def _body(sub: Submission, safe: dict[str, str]) -> str:
    lines = []
    for item in sub.form.fields:
        if item.name not in safe:
            continue
        label = item.label.get(sub.lang) or item.label["en"]
        value = safe[item.name]
        if item.type == "choice":
            value = item.choice_labels.get(value, {}).get(sub.lang, value)
        if item.type == "textarea":
            lines.append(f"{label}:\n{value}")
        else:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _requester(sub: Submission, safe: dict[str, str], subject_id: str) -> VendorContact:
    """A pseudonymous requester: the CRM gets a per-subject address, never the real one."""
    identity = [f.name for f in sub.form.fields if f.category == "identity" and f.name in safe]
    name = safe[identity[0]] if identity else None
    return VendorContact(external_id="", name=name, email=requester_address(subject_id))


def _store(ticket: Ticket, subject_id: str, pieces: list[Piece], allowed: list[str]) -> int:
    """Vault every original and record it as a finding; returns the over-collection count."""
    vault = get_vault()
    over = 0
    for piece in pieces:
        item = vault.encrypt(
            subject_id,
            piece.value,
            field=f"form.{piece.field}",
            kind=piece.type,
            ticket_id=ticket.id,
        )
        extra = piece.category not in allowed
        over += extra
        db.session.add(
            Finding(
                ticket_id=ticket.id,
                subject_id=subject_id,
                field=f"form.{piece.field}",
                type=piece.type,
                category=piece.category,
                start=piece.start,
                end=piece.end,
                score=piece.score,
                detector=piece.detector,
                vault_item_id=item.id,
                masked=piece.token[:255],
                written_back=True,
                over_collection=extra,
            )
        )
    return over


def _email_verified(subject_id: str, email: str | None) -> bool:
    """Whether the person holds ``email`` as a verified identifier (merges followed)."""
    if not email:
        return False
    index = blind_index(current_app.extensions["datavagt.keyring"], "email", email)
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SubjectIdentifier)
            .where(
                SubjectIdentifier.kind == "email",
                SubjectIdentifier.vendor == "",
                SubjectIdentifier.blind_index == index,
                SubjectIdentifier.subject_id.in_(group_ids(subject_id)),
                SubjectIdentifier.verified.is_(True),
            )
        )
    )


def submit(sub: Submission) -> dict[str, Any]:
    """Handle one submission end to end; one transaction, committed after the vendor call."""
    ticked = check_consents(sub)
    vendor, adapter = _adapter(sub.form)
    actor = Actor(id=f"form:{sub.form.name}", source="form")

    def first(kind: str) -> str | None:
        return next(
            (
                sub.values[f.name]
                for f in sub.form.fields
                if f.type == kind and f.name in sub.values
            ),
            None,
        )

    contact = VendorContact(external_id="", email=first("email"), phone=first("phone"))
    if not (contact.email or contact.phone):
        raise ApiError(422, "identifier_required", "An e-mail address or phone number is needed")
    safe, pieces = pseudonymise(sub.form, sub.values, _classifier())
    try:
        # A typed e-mail Datavagt knows lands on the person holding it (never a new,
        # identifier-less subject); the answer is the same either way.
        resolution = resolve_contact("form", contact, verified=False)
        subject = resolution.subject
        title = sub.form.ticket_subject.get(sub.lang) or sub.form.ticket_subject["en"]
        try:
            external_id = adapter.create_ticket(
                title, {"description": _body(sub, safe)}, _requester(sub, safe, subject.id)
            )
        except AdapterError as exc:
            raise ApiError(
                502, "vendor_unavailable", "The helpdesk did not accept the request"
            ) from exc
        now = utcnow()
        ticket = Ticket(
            vendor=vendor,
            external_id=external_id,
            subject_id=subject.id,
            purpose=sub.form.purpose,
            status="open",
            vendor_created_at=now,
            last_activity_at=now,
        )
        db.session.add(ticket)
        db.session.flush()
        allowed = current_app.extensions["datavagt.manifest"].purposes[sub.form.purpose][
            "allowed_categories"
        ]
        over = _store(ticket, subject.id, pieces, list(allowed))
        evidence = {
            "form": sub.form.name,
            "ip_hash": consents.hash_ip(sub.ip),
            "user_agent": sub.user_agent,
            # A typed e-mail proves nothing by itself: say whether it was already verified.
            "identifier_verified": _email_verified(subject.id, contact.email),
        }
        given = [
            consents.give(
                subject.id,
                text.purpose,
                text.id,
                channel="form",
                evidence=evidence,
                explicit=box.explicit,
                actor=actor,
                commit=False,
            ).id
            for text, box in ticked
        ]
        audit.record(
            audit.actions.REQUEST_CREATED,
            actor=actor,
            subject_id=subject.id,
            ticket_ref=f"{vendor}:{external_id}",
            details={
                "kind": "intake_form",
                "form": sub.form.name,
                "purpose": sub.form.purpose,
                "findings": len(pieces),
                "over_collection": over,
                "consents": len(given),
                "matched_on": resolution.matched_on,
                "identifiers_added": list(resolution.added),
            },
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return {"status": "received", "reference": f"DV-{ticket.id}", "consents": len(given)}
