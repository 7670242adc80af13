"""Request tracking: one month to answer, extendable once by up to two months (Art. 12(3)).

The extension must be decided within the first month and is told to the person; a daily
job (``request_watch``) reminds the DPO before the deadline, escalates when it passes and
closes requests that are done (erasure carried out, export delivered, ...).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubjectRequest
from plugin.models.request import REQUEST_KINDS
from plugin.models.types import utcnow
from plugin.rights.errors import RightsError, not_found
from plugin.rights.lookup import get_subject

OPEN = ("received", "in_progress")
MAX_EXTENSION_MONTHS = 2
REMIND_DAYS = 7
SYSTEM = "request_watch"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def get(request_id: str) -> DataSubjectRequest:
    """The request with this id, or a 404 RightsError."""
    row = db.session.get(DataSubjectRequest, request_id)
    if row is None:
        raise not_found("request")
    return row


def _record(
    row: DataSubjectRequest, action: str, actor: Actor, reason: str | None, step: str = ""
) -> None:
    details = {"request": row.id, "kind": row.kind, "status": row.status}
    if step:
        details["step"] = step
    audit.record(action, actor=actor, subject_id=row.subject_id, reason=reason, details=details)


def create(
    kind: str,
    actor: Actor,
    subject_id: str | None = None,
    received_on: date | None = None,
    channel: str = "email",
) -> DataSubjectRequest:
    """Register a request; due one month after receipt."""
    if kind not in REQUEST_KINDS:
        raise RightsError(
            422, "validation_failed", f"kind must be one of {', '.join(REQUEST_KINDS)}"
        )
    if subject_id is not None:
        get_subject(subject_id)
    received = received_on or utcnow().date()
    if received > utcnow().date():
        raise RightsError(422, "validation_failed", "received_on cannot be in the future")
    row = DataSubjectRequest(
        kind=kind,
        subject_id=subject_id,
        channel=channel,
        received_on=received,
        due_on=add_months(received, 1),
        status="received",
        created_by=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    _record(row, audit.actions.REQUEST_CREATED, actor, None)
    db.session.commit()
    return row


def _open(request_id: str) -> DataSubjectRequest:
    row = get(request_id)
    if row.status not in OPEN:
        raise RightsError(409, "conflict", f"The request is already {row.status}")
    return row


def start(request_id: str, actor: Actor) -> DataSubjectRequest:
    """Mark a request as being worked on."""
    row = _open(request_id)
    row.status = "in_progress"
    _record(row, audit.actions.REQUEST_UPDATED, actor, None)
    db.session.commit()
    return row


def extend(
    request_id: str, months: int, reason: str, actor: Actor, today: date | None = None
) -> DataSubjectRequest:
    """Extend the deadline once, by one or two months, with the reason told to the person.

    Art. 12(3): the person must be told "within one month of receipt of the request", so an
    extension decided after the first month is refused (409), as is a second one.
    """
    from plugin.rights import notices

    today = today or utcnow().date()
    row = _open(request_id)
    if row.extended_on is not None:
        raise RightsError(409, "conflict", "The deadline was already extended once")
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise RightsError(422, "validation_failed", "months must be 1 or 2")
    if not reason.strip():
        raise RightsError(422, "validation_failed", "An extension needs a reason")
    first_month_ends = add_months(row.received_on, 1)
    if today > first_month_ends:
        raise RightsError(
            409,
            "extension_too_late",
            f"An extension must be decided and told to the person within one month of receipt "
            f"(by {first_month_ends.isoformat()}, Art. 12(3)); it is too late to extend",
        )
    row.due_on = add_months(row.received_on, 1 + months)
    row.extended_on = today
    row.extension_months = months
    row.extension_reason = reason.strip()
    row.reminded_on = None  # the new deadline gets its own reminder
    _record(row, audit.actions.REQUEST_UPDATED, actor, reason.strip(), step="extended")
    notices.extension(actor, row)
    db.session.commit()
    notices.mail_pending()
    return row


def close(request_id: str, status: str, actor: Actor, resolution: str = "") -> DataSubjectRequest:
    """Complete or reject a request (a rejection needs a reason, Art. 12(4))."""
    if status not in ("completed", "rejected"):
        raise RightsError(422, "validation_failed", "status must be completed or rejected")
    if status == "rejected" and not resolution.strip():
        raise RightsError(422, "validation_failed", "A rejection needs a reason")
    row = _open(request_id)
    row.status = status
    row.resolution = resolution.strip() or None
    row.closed_at = utcnow()
    row.closed_by = actor.id
    _record(row, audit.actions.REQUEST_UPDATED, actor, row.resolution, step="closed")
    db.session.commit()
    return row


def apply(
    request_id: str, action: str, actor: Actor, months: int = 2, reason: str = ""
) -> DataSubjectRequest:
    """One step of a request's life: start, extend, complete or reject."""
    if action == "start":
        return start(request_id, actor)
    if action == "extend":
        return extend(request_id, months, reason, actor)
    closing = {"complete": "completed", "reject": "rejected"}
    if action in closing:
        return close(request_id, closing[action], actor, reason)
    raise RightsError(422, "validation_failed", "Unknown action")


def list_requests(
    status: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    today: date | None = None,
) -> list[DataSubjectRequest]:
    """Requests by due date; ``overdue``/``due_within`` narrow to open ones past or near due."""
    today = today or utcnow().date()
    query = sa.select(DataSubjectRequest).order_by(DataSubjectRequest.due_on, DataSubjectRequest.id)
    if status:
        query = query.where(DataSubjectRequest.status == status)
    if overdue or due_within is not None:
        query = query.where(DataSubjectRequest.status.in_(OPEN))
        limit = today - timedelta(days=1) if overdue else today + timedelta(days=due_within or 0)
        if overdue and due_within is not None:
            limit = today + timedelta(days=due_within)
        query = query.where(DataSubjectRequest.due_on <= limit)
    return list(db.session.scalars(query))


def reminders(within_days: int = 7, today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Open requests already overdue and those due within ``within_days`` days."""
    today = today or utcnow().date()
    rows = list_requests(due_within=within_days, today=today)
    return {
        "overdue": [serialise(r, today) for r in rows if r.due_on < today],
        "due_soon": [serialise(r, today) for r in rows if r.due_on >= today],
    }


def serialise(row: DataSubjectRequest, today: date | None = None) -> dict[str, Any]:
    """The JSON form of a request, with days left (negative when overdue)."""
    today = today or utcnow().date()
    return {
        "id": row.id,
        "kind": row.kind,
        "subject_id": row.subject_id,
        "channel": row.channel,
        "received_on": row.received_on.isoformat(),
        "due_on": row.due_on.isoformat(),
        "days_left": (row.due_on - today).days,
        "overdue": row.status in OPEN and row.due_on < today,
        "extended_on": row.extended_on.isoformat() if row.extended_on else None,
        "extension_months": row.extension_months,
        "extension_reason": row.extension_reason,
        "extendable_until": add_months(row.received_on, 1).isoformat(),
        "status": row.status,
        "resolution": row.resolution,
        "created_by": row.created_by,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "closed_by": row.closed_by,
    }


def _done(row: DataSubjectRequest) -> str | None:
    """Why an open request is done, from what the system did after it arrived; None if not."""
    from plugin.models import AuditEvent, DataSubject, ProcessingRestriction

    if row.subject_id is None:
        return None
    subject = db.session.get(DataSubject, row.subject_id)
    if row.kind == "erasure":
        if subject is not None and subject.erased_at is not None:
            return "Erasure carried out"
        return None
    if row.kind in ("restriction", "objection"):
        flag = db.session.scalars(
            sa.select(ProcessingRestriction.id).where(
                ProcessingRestriction.subject_id == row.subject_id,
                ProcessingRestriction.kind
                == ("restriction" if row.kind == "restriction" else "objection"),
                ProcessingRestriction.created_at >= row.created_at,
            )
        ).first()
        return (
            ("Restriction set" if row.kind == "restriction" else "Objection recorded")
            if flag
            else None
        )
    action = {
        "access": audit.actions.EXPORT,
        "portability": audit.actions.EXPORT,
        "rectification": audit.actions.RECTIFY,
    }[row.kind]
    event = db.session.scalars(
        sa.select(AuditEvent.id).where(
            AuditEvent.subject_id == row.subject_id,
            AuditEvent.action == action,
            AuditEvent.occurred_at >= row.created_at,
        )
    ).first()
    if event is None:
        return None
    return {"access": "Export delivered", "portability": "Export delivered"}.get(
        row.kind, "Data corrected"
    )


def watch(today: date | None = None) -> dict[str, list[str]]:
    """One run of the deadline job: close what is done, remind the DPO ``REMIND_DAYS`` before
    the deadline, escalate once when it has passed; each step audited, each alert delivered.
    The caller commits."""
    from plugin.alerts.service import raise_alert
    from plugin.audit.sequencer import flush

    flush()  # exports and corrections recorded a moment ago count as done
    today = today or utcnow().date()
    system = Actor.system(SYSTEM)
    done: dict[str, list[str]] = {"closed": [], "reminded": [], "escalated": []}
    rows = db.session.scalars(
        sa.select(DataSubjectRequest)
        .where(DataSubjectRequest.status.in_(OPEN))
        .order_by(DataSubjectRequest.due_on, DataSubjectRequest.id)
    )
    for row in list(rows):
        why = _done(row)
        if why:
            row.status, row.resolution = "completed", why
            row.closed_at, row.closed_by = utcnow(), system.id
            _record(row, audit.actions.REQUEST_UPDATED, system, why, step="closed_automatically")
            done["closed"].append(row.id)
            continue
        days_left = (row.due_on - today).days
        if days_left < 0 and row.escalated_on is None:
            row.escalated_on = today
            _record(row, audit.actions.REQUEST_UPDATED, system, None, step="escalated")
            raise_alert(
                "request_overdue",
                f"request_overdue:{row.id}",
                {
                    "request": row.id[:8],
                    "kind": row.kind,
                    "due": row.due_on.isoformat(),
                    "window_end": row.due_on.isoformat(),
                },
                open_incident=False,
            )
            done["escalated"].append(row.id)
        elif 0 <= days_left <= REMIND_DAYS and row.reminded_on is None:
            row.reminded_on = today
            _record(row, audit.actions.REQUEST_UPDATED, system, None, step="reminded")
            raise_alert(
                "request_due",
                f"request_due:{row.id}:{row.due_on.isoformat()}",
                {
                    "request": row.id[:8],
                    "kind": row.kind,
                    "due": row.due_on.isoformat(),
                    "days": days_left,
                    "window_end": row.due_on.isoformat(),
                },
                open_incident=False,
            )
            done["reminded"].append(row.id)
    return done


def watch_job(app: Flask) -> None:
    """Scheduler entry (job ``request_watch``): one run of ``watch``, committed."""
    with app.app_context():
        try:
            watch()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
