"""Everything Datavagt holds about one person, decrypted, for the export and the answers page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.models import (
    AuditEvent,
    Consent,
    DataSubjectRequest,
    Finding,
    ProcessingRestriction,
    SubjectIdentifier,
    Ticket,
    VaultItem,
)
from plugin.rights.lookup import get_subject, group_ids
from plugin.vault import VaultError, VaultShredded, get_vault

# Actions that read or changed the person's data; shown as "who accessed it" (Art. 15(1)(c)).
ACCESS_ACTIONS = ("view", "reveal", "export", "rectify", "erase", "restrict", "object")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _clear(item_id: str | None) -> dict[str, Any]:
    """The original value of a vault item, or why it cannot be shown."""
    if item_id is None:
        return {"value": None, "state": "not_stored"}
    item = db.session.get(VaultItem, item_id)
    if item is None:
        return {"value": None, "state": "not_stored"}
    try:
        return {"value": get_vault().decrypt(item), "state": "held"}
    except VaultShredded:
        return {"value": None, "state": "erased"}
    except VaultError:
        return {"value": None, "state": "unreadable"}


def _identifiers(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(SubjectIdentifier)
        .where(SubjectIdentifier.subject_id.in_(ids))
        .order_by(SubjectIdentifier.id)
    )
    return [
        {"id": r.id, "kind": r.kind, "vendor": r.vendor or None, "verified": r.verified}
        | _clear(r.vault_item_id)
        for r in rows
    ]


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "field": f.field,
        "type": f.type,
        "category": f.category,
        "masked": f.masked,
        "written_back": f.written_back,
        "over_collection": f.over_collection,
        "collected_at": _iso(f.created_at),
    } | _clear(f.vault_item_id)


def _tickets(ids: list[str]) -> list[dict[str, Any]]:
    purposes = current_app.extensions["datavagt.manifest"].purposes
    # A ticket belongs to the person when they requested it or their data was found in it.
    found_in = sa.select(Finding.ticket_id).where(Finding.subject_id.in_(ids))
    tickets = db.session.scalars(
        sa.select(Ticket)
        .where(sa.or_(Ticket.subject_id.in_(ids), Ticket.id.in_(found_in)))
        .order_by(Ticket.vendor, Ticket.id)
    )
    out = []
    for t in tickets:
        spec = purposes.get(t.purpose or "", {})
        findings = [f for f in t.findings if f.subject_id in ids or t.subject_id in ids]
        out.append(
            {
                "vendor": t.vendor,
                "external_id": t.external_id,
                "purpose": t.purpose,
                "legal_basis": spec.get("legal_basis"),
                "status": t.status,
                "created_at": _iso(t.vendor_created_at or t.ingested_at),
                "closed_at": _iso(t.closed_at),
                "retention_due_at": _iso(t.retention_due_at),
                "legal_hold": t.legal_hold,
                "deleted_at": _iso(t.deleted_at),
                "unwritable_fields": list(t.unwritable_fields or []),
                "findings": [_finding(f) for f in sorted(findings, key=lambda f: f.id)],
            }
        )
    return out


def _consents(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(Consent).where(Consent.subject_id.in_(ids)).order_by(Consent.given_at)
    )
    return [
        {
            "purpose": c.purpose,
            "given_at": _iso(c.given_at),
            "withdrawn_at": _iso(c.withdrawn_at),
            "channel": c.channel,
            "explicit": c.explicit,
            "text": {
                "language": c.text.language,
                "version": c.text.version,
                "sha256": c.text.sha256,
                "wording": c.text.text,
            },
        }
        for c in rows
    ]


def _accessed_by(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.subject_id.in_(ids), AuditEvent.action.in_(ACCESS_ACTIONS))
        .order_by(AuditEvent.seq)
    )
    return [
        {
            "who": e.actor_id,
            "role": e.actor_role,
            "vendor_user": e.vendor_user,
            "action": e.action,
            "ticket": e.ticket_ref,
            "field": e.field,
            "reason": e.reason,
            "at": _iso(e.occurred_at),
        }
        for e in rows
        if not e.actor_id.startswith("system:")
    ]


def _restrictions(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(ProcessingRestriction)
        .where(ProcessingRestriction.subject_id.in_(ids))
        .order_by(ProcessingRestriction.id)
    )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "purpose": r.purpose,
            "reason": r.reason,
            "since": _iso(r.created_at),
            "lifted_at": _iso(r.lifted_at),
        }
        for r in rows
    ]


def _requests(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(DataSubjectRequest)
        .where(DataSubjectRequest.subject_id.in_(ids))
        .order_by(DataSubjectRequest.received_on)
    )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "status": r.status,
            "received_on": r.received_on.isoformat(),
            "due_on": r.due_on.isoformat(),
        }
        for r in rows
    ]


def gather(subject_id: str) -> dict[str, Any]:
    """Identifiers, tickets with decrypted findings, consents, access log, restrictions."""
    subject = get_subject(subject_id)
    ids = group_ids(subject.id)
    return {
        "subject_id": subject.id,
        "merged_subjects": ids[1:],
        "created_at": _iso(subject.created_at),
        "erased_at": _iso(subject.erased_at),
        "legal_hold": subject.legal_hold,
        "identifiers": _identifiers(ids),
        "tickets": _tickets(ids),
        "consents": _consents(ids),
        "accessed_by": _accessed_by(ids),
        "restrictions": _restrictions(ids),
        "requests": _requests(ids),
    }
