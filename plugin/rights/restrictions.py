"""Restriction (Art. 18) and objection (Art. 21): stop processing a person's data for a purpose."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import ProcessingRestriction
from plugin.models.restriction import RESTRICTION_KINDS
from plugin.models.types import utcnow
from plugin.rights.errors import RightsError, not_found
from plugin.rights.lookup import get_subject
from plugin.subjects.groups import group_ids
from plugin.subjects.groups import root_id as _root

# Re-exported for callers above ingest; they live in plugin.subjects so ingest can read them.
from plugin.subjects.restrictions import is_restricted, restricted_pairs  # noqa: F401

# Art. 21(1): the right to object covers processing under Art. 6(1)(e) and (f) (direct
# marketing on legitimate interests included, Art. 21(2)); consent is withdrawn instead.
OBJECTION_BASES = frozenset({"legitimate_interests", "public_task"})


def active(subject_id: str) -> list[dict[str, Any]]:
    """Active flags of a subject, for agents and the admin console."""
    ids = group_ids(_root(subject_id))
    rows = db.session.scalars(
        sa.select(ProcessingRestriction)
        .where(ProcessingRestriction.subject_id.in_(ids), ProcessingRestriction.lifted_at.is_(None))
        .order_by(ProcessingRestriction.id)
    )
    return [serialise(r) for r in rows]


def serialise(row: ProcessingRestriction) -> dict[str, Any]:
    """The JSON form of a flag."""
    return {
        "id": row.id,
        "subject_id": row.subject_id,
        "kind": row.kind,
        "purpose": row.purpose,
        "reason": row.reason,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(),
        "lifted_at": row.lifted_at.isoformat() if row.lifted_at else None,
        "lift_notice_at": row.lift_notice_at.isoformat() if row.lift_notice_at else None,
        "compelling_grounds": row.compelling_grounds,
    }


def check_objection(purpose: str | None) -> None:
    """422 unless an Art. 21 objection applies: processing on legitimate interests/public task."""
    if purpose is None:
        raise RightsError(422, "validation_failed", "An objection names the purpose objected to")
    basis = current_app.extensions["datavagt.manifest"].purposes[purpose]["legal_basis"]
    if basis == "consent":
        raise RightsError(
            422,
            "objection_not_applicable",
            "This purpose is based on consent: withdraw the consent instead (Art. 7(3)); "
            "an objection (Art. 21) does not apply",
        )
    if basis not in OBJECTION_BASES:
        raise RightsError(
            422,
            "objection_not_applicable",
            f"An objection (Art. 21) applies to processing based on legitimate interests or "
            f"public task; this purpose's legal basis is {basis}",
        )


def restrict(
    subject_id: str, kind: str, reason: str, actor: Actor, purpose: str | None = None
) -> ProcessingRestriction:
    """Flag a subject (for one purpose, or all); audited as restrict or object."""
    if kind not in RESTRICTION_KINDS:
        raise RightsError(422, "validation_failed", "kind must be restriction or objection")
    if purpose is not None and purpose not in current_app.extensions["datavagt.manifest"].purposes:
        raise RightsError(422, "validation_failed", "Unknown purpose")
    if kind == "objection":
        check_objection(purpose)
    if not reason.strip():
        raise RightsError(422, "validation_failed", "A reason is required")
    subject = get_subject(_root(subject_id))
    row = ProcessingRestriction(
        subject_id=subject.id,
        kind=kind,
        purpose=purpose,
        reason=reason.strip(),
        created_by=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    action = audit.actions.RESTRICT if kind == "restriction" else audit.actions.OBJECT
    audit.record(
        action,
        actor=actor,
        subject_id=subject.id,
        reason=row.reason,
        details={"restriction": row.id, "purpose": purpose or "*"},
    )
    db.session.commit()
    return row


def _purpose_name(purpose: str | None) -> str | None:
    if purpose is None:
        return None
    return current_app.extensions["datavagt.manifest"].purposes[purpose].get("name", purpose)


def lift(restriction_id: int, reason: str, actor: Actor) -> ProcessingRestriction:
    """End a flag (e.g. the accuracy was verified); audited.

    Art. 18(3): the person is told before a restriction is lifted, so the notice (a secure
    message, then the "message waits" e-mail) is recorded first and the lift after it.
    """
    from plugin.rights import notices

    row = db.session.get(ProcessingRestriction, restriction_id)
    if row is None:
        raise not_found("restriction")
    if row.lifted_at is not None:
        raise RightsError(409, "conflict", "The restriction was already lifted")
    if row.kind == "restriction":
        if notices.lifting(actor, row.subject_id, _purpose_name(row.purpose), reason.strip()):
            row.lift_notice_at = utcnow()
            audit.record(
                audit.actions.RESTRICT,
                actor=actor,
                subject_id=row.subject_id,
                details={"restriction": row.id, "lift_notice": True},
            )
    row.lifted_at = utcnow()
    row.lifted_by = actor.id
    audit.record(
        audit.actions.RESTRICT,
        actor=actor,
        subject_id=row.subject_id,
        reason=reason.strip() or None,
        details={"restriction": row.id, "lifted": True},
    )
    db.session.commit()
    notices.mail_pending()
    return row


def override(restriction_id: int, grounds: str, actor: Actor) -> ProcessingRestriction:
    """Art. 21(1): processing resumes despite an objection only on compelling legitimate
    grounds that the DPO records (a reason is required); audited as an objection step."""
    row = db.session.get(ProcessingRestriction, restriction_id)
    if row is None:
        raise not_found("restriction")
    if row.kind != "objection":
        raise RightsError(
            422, "validation_failed", "Compelling grounds apply to an objection (Art. 21) only"
        )
    if row.lifted_at is not None:
        raise RightsError(409, "conflict", "The objection no longer stops processing")
    if len(grounds.strip()) < 10:
        raise RightsError(
            422, "validation_failed", "Describe the compelling legitimate grounds (Art. 21(1))"
        )
    row.compelling_grounds = grounds.strip()
    row.lifted_at = utcnow()
    row.lifted_by = actor.id
    audit.record(
        audit.actions.OBJECT,
        actor=actor,
        subject_id=row.subject_id,
        reason=row.compelling_grounds,
        details={"restriction": row.id, "compelling_grounds": True},
    )
    db.session.commit()
    return row
