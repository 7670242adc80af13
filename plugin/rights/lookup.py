"""Finding a person across vendors, and merging identities (audited; splits: rights.split)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, SubjectIdentifier, Ticket
from plugin.rights.errors import RightsError, not_found
from plugin.subjects import find_subjects
from plugin.subjects.groups import group_ids


def get_subject(subject_id: str) -> DataSubject:
    """The subject with this id, or a 404 RightsError."""
    subject = db.session.get(DataSubject, subject_id)
    if subject is None:
        raise not_found()
    return subject


def find(
    email: str | None = None, phone: str | None = None, vendor_id: str | None = None
) -> list[DataSubject]:
    """Surviving subjects holding any given identifier (merges followed)."""
    if not (email or phone or vendor_id):
        raise RightsError(422, "validation_failed", "Give an e-mail, phone or vendor id")
    if vendor_id is not None and ":" not in vendor_id:
        raise RightsError(422, "validation_failed", "vendor_id must be '<vendor>:<contact id>'")
    return find_subjects(email=email, phone=phone, vendor_id=vendor_id)


def describe(subject: DataSubject) -> dict[str, Any]:
    """Ids, identifier kinds and ticket counts per vendor: safe to list (no values)."""
    ids = group_ids(subject.id)
    identifiers = db.session.scalars(
        sa.select(SubjectIdentifier)
        .where(SubjectIdentifier.subject_id.in_(ids))
        .order_by(SubjectIdentifier.id)
    )
    rows = db.session.execute(
        sa.select(Ticket.vendor, sa.func.count())
        .where(Ticket.subject_id.in_(ids))
        .group_by(Ticket.vendor)
    )
    return {
        "id": subject.id,
        "created_at": subject.created_at.isoformat(),
        "erased_at": subject.erased_at.isoformat() if subject.erased_at else None,
        "merged_subjects": ids[1:],
        "identifiers": [
            {
                "id": i.id,
                "kind": i.kind,
                "vendor": i.vendor or None,
                "verified": i.verified,
                "subject_id": i.subject_id,
            }
            for i in identifiers
        ],
        "tickets_per_vendor": {vendor: count for vendor, count in rows},
    }


def merge(target_id: str, source_ids: list[str], actor: Actor, reason: str) -> DataSubject:
    """Merge ``source_ids`` into ``target_id`` (reversible with ``split``), audited."""
    target = get_subject(target_id)
    if target.merged_into_id:
        raise RightsError(409, "conflict", "The target was itself merged into another subject")
    for source_id in source_ids:
        source = get_subject(source_id)
        if source.id == target.id or target.id in group_ids(source.id):
            raise RightsError(409, "conflict", "A subject cannot be merged into itself")
        if source.merged_into_id:
            raise RightsError(409, "conflict", "A source is already merged; split it first")
        if source.erased_at or target.erased_at:
            raise RightsError(409, "conflict", "Erased subjects cannot be merged")
        source.merged_into_id = target.id
        audit.record(
            audit.actions.SUBJECT_MERGE,
            actor=actor,
            subject_id=target.id,
            reason=reason,
            details={"merged": source.id},
        )
    db.session.commit()
    return target
