"""Record incidents with live counts and run the 72-hour clock (alerts open suspected ones).

Art. 33(1): notify the Datatilsynet without undue delay and where feasible within 72 hours
of becoming aware. The clock starts at ``detected_at``; reminders are due when 48, 24 and
6 hours remain, and once overdue. Counts are taken from the inventory at registration
(distinct live data subjects and findings in the affected categories) and stored as the
approximate numbers Art. 33(3)(a) asks for.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from plugin import audit
from plugin.audit import actions
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, Finding
from plugin.models.breach import Breach
from plugin.models.types import utcnow

DEADLINE = timedelta(hours=72)
# Reminder marks: hours left on the clock ("overdue" once it has run out).
REMINDER_HOURS = (48, 24, 6)
OPEN = ("suspected", "confirmed")
TRANSITIONS = {
    "suspected": ("confirmed", "dismissed"),
    "confirmed": ("notified", "closed"),
    "notified": ("closed",),
    "closed": (),
    "dismissed": (),
}


class BreachError(Exception):
    """A request the register refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _affected(categories: list[str]) -> sa.Select:
    findings = (
        sa.select(Finding.subject_id)
        .join(DataSubject, DataSubject.id == Finding.subject_id)
        .where(DataSubject.erased_at.is_(None), DataSubject.merged_into_id.is_(None))
    )
    if categories:
        findings = findings.where(Finding.category.in_(categories))
    return findings


def live_counts(categories: list[str]) -> dict[str, int]:
    """Live data subjects and records (findings) in ``categories`` (all when empty)."""
    subquery = _affected(categories).subquery()
    subjects = db.session.scalar(sa.select(sa.func.count(sa.distinct(subquery.c.subject_id))))
    records = db.session.scalar(sa.select(sa.func.count()).select_from(subquery))
    return {"subjects": int(subjects or 0), "records": int(records or 0)}


def deadline(breach: Breach) -> datetime:
    """When the 72 hours of Art. 33(1) run out."""
    return breach.detected_at + DEADLINE


def as_dict(breach: Breach, now: datetime | None = None) -> dict[str, Any]:
    """The incident as JSON, with the clock."""
    now = now or utcnow()
    due = deadline(breach)
    return {
        "id": breach.id,
        "title": breach.title,
        "description": breach.description,
        "status": breach.status,
        "source": breach.source,
        "detected_at": breach.detected_at.isoformat(),
        "occurred_at": breach.occurred_at.isoformat() if breach.occurred_at else None,
        "categories": list(breach.categories),
        "subjects_estimate": breach.subjects_estimate,
        "records_estimate": breach.records_estimate,
        "consequences": breach.consequences,
        "measures": breach.measures,
        "high_risk": breach.high_risk,
        "deadline": due.isoformat(),
        "hours_left": round((due - now).total_seconds() / 3600, 1),
        "overdue": breach.notified_at is None and breach.status in OPEN and now > due,
        "reminders": list(breach.reminders),
        "notified_at": breach.notified_at.isoformat() if breach.notified_at else None,
        "subjects_notified_at": (
            breach.subjects_notified_at.isoformat() if breach.subjects_notified_at else None
        ),
        "subjects_notified": breach.subjects_notified,
        "created_by": breach.created_by,
    }


def record(data: dict[str, Any], actor: Actor, source: str = "manual") -> Breach:
    """Register an incident; counts come from the live inventory. Audited; caller commits."""
    now = utcnow()
    detected = data.get("detected_at") or now
    if detected > now + timedelta(minutes=5):
        raise BreachError(422, "detected_at lies in the future")
    occurred = data.get("occurred_at")
    if occurred is not None and occurred > detected:
        raise BreachError(422, "occurred_at lies after detected_at")
    categories = sorted(set(data.get("categories", [])))
    counts = live_counts(categories)
    breach = Breach(
        title=data["title"],
        description=data.get("description", ""),
        status="suspected" if source != "manual" else data.get("status", "suspected"),
        source=source,
        detected_at=detected,
        occurred_at=occurred,
        categories=categories,
        subjects_estimate=counts["subjects"],
        records_estimate=counts["records"],
        consequences=data.get("consequences", ""),
        measures=data.get("measures", ""),
        high_risk=bool(data.get("high_risk", False)),
        reminders=[],
        created_by=actor.id,
    )
    db.session.add(breach)
    db.session.flush()
    audit.record(
        actions.BREACH_RECORDED,
        actor=actor,
        details={
            "breach": breach.id,
            "source": ":".join(source.split(":")[:2]),
            "subjects": counts["subjects"],
            "records": counts["records"],
        },
    )
    return breach


def get(breach_id: str) -> Breach:
    """One incident or BreachError 404."""
    breach = db.session.get(Breach, breach_id[:36])
    if breach is None:
        raise BreachError(404, "No such incident")
    return breach


def list_all(status: str | None = None) -> list[Breach]:
    """Incidents, newest detection first, optionally of one status."""
    query = sa.select(Breach).order_by(Breach.detected_at.desc())
    if status:
        query = query.where(Breach.status == status)
    return list(db.session.scalars(query))


def update(breach: Breach, changes: dict[str, Any], actor: Actor) -> Breach:
    """Move the status on (allowed steps only) and amend consequences/measures. Audited."""
    status = changes.get("status")
    if status and status != breach.status:
        if status not in TRANSITIONS[breach.status]:
            raise BreachError(409, f"cannot go from {breach.status} to {status}")
        breach.status = status
        if status == "notified":
            breach.notified_at = utcnow()
    for field in ("consequences", "measures", "high_risk", "description"):
        if field in changes:
            setattr(breach, field, changes[field])
    audit.record(
        actions.BREACH_UPDATED,
        actor=actor,
        details={"breach": breach.id, "status": breach.status, "fields": sorted(changes)},
    )
    return breach


def notify_subjects(breach: Breach, actor: Actor, manifest: Any) -> list[str]:
    """Art. 34: send the plain-language message to every affected person's My pages.

    Only for a confirmed or notified high-risk incident, and once. The message holds the
    Danish and the English text; returns the addresses to mail "a message waits" to once the
    caller has committed. Audited per message and for the incident.
    """
    from plugin.breach import drafts
    from plugin.messages.service import store_for_subject

    if not breach.high_risk:
        raise BreachError(409, "Only a high-risk incident is told to the persons (Art. 34(1))")
    if breach.status not in ("confirmed", "notified"):
        raise BreachError(409, "Confirm the incident before telling the persons")
    if breach.subjects_notified_at is not None:
        raise BreachError(409, "The persons were told already")
    body = "\n\n---\n\n".join(
        "\n\n".join((text["title"], text["text"]))
        for text in (drafts.subjects(breach, manifest, lang) for lang in ("da", "en"))
    )
    subject_ids = sorted(set(db.session.scalars(_affected(list(breach.categories)).distinct())))
    addresses = []
    for subject_id in subject_ids:
        _message, address = store_for_subject(actor, subject_id, body)
        if address:
            addresses.append(address)
    breach.subjects_notified_at = utcnow()
    breach.subjects_notified = len(subject_ids)
    audit.record(
        actions.BREACH_UPDATED,
        actor=actor,
        details={"breach": breach.id, "subjects_notified": len(subject_ids)},
    )
    return addresses


def due_reminders(now: datetime | None = None) -> list[tuple[Breach, str]]:
    """Record and audit each reminder mark an open, unnotified incident has reached."""
    now = now or utcnow()
    sent: list[tuple[Breach, str]] = []
    system = Actor.system("scheduler")
    for breach in db.session.scalars(
        sa.select(Breach).where(Breach.status.in_(OPEN), Breach.notified_at.is_(None))
    ):
        left = deadline(breach) - now
        marks = [f"{h}h" for h in REMINDER_HOURS if left <= timedelta(hours=h)]
        if left <= timedelta(0):
            marks.append("overdue")
        new = [m for m in marks if m not in breach.reminders]
        if not new:
            continue
        breach.reminders = [*breach.reminders, *new]
        for mark in new:
            audit.record(
                actions.BREACH_REMINDER,
                actor=system,
                details={"breach": breach.id, "mark": mark},
            )
            sent.append((breach, mark))
    return sent


def watch_job(app: Any) -> None:
    """Scheduler entry (job ``breach_watch``): record the 72-hour reminders that are due.

    Suspected incidents from the alert rules are opened by ``plugin.alerts`` (job
    ``alert_watch``), which delivers the alert too.
    """
    import logging

    from plugin.alerts.service import remind_deadline  # alerts open incidents: import late

    log = logging.getLogger(__name__)
    with app.app_context():
        try:
            reminders = [(breach.id, mark) for breach, mark in due_reminders()]
            for breach_id, mark in reminders:
                remind_deadline(breach_id, mark)  # console, e-mail and webhook
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
    for breach_id, mark in reminders:
        # Ids and marks only: the incident text may name people.
        log.warning("breach deadline reminder", extra={"breach": breach_id, "mark": mark})
