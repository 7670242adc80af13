"""Raise, throttle, deliver and acknowledge alerts; each new alert opens a suspected incident.

A rule keeps reporting a burst while it lies in its window; the burst's end time tells a
repeat of the same burst (ignored) from a new one (counted on the open alert and delivered
again once ``throttle_minutes`` have passed since the last delivery). After an alert is
acknowledged, a new burst for the same key opens a new alert.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from plugin import audit
from plugin.alerts import delivery, i18n, rules
from plugin.audit import actions
from plugin.auth.guard import Actor
from plugin.breach import service as breaches
from plugin.extensions import db
from plugin.models.alert import Alert
from plugin.models.types import utcnow

log = logging.getLogger(__name__)
SYSTEM = "scheduler"


class AlertError(Exception):
    """A request about alerts that cannot be met; the message is safe to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _latest(key: str) -> Alert | None:
    return db.session.scalars(
        sa.select(Alert).where(Alert.key == key).order_by(Alert.first_at.desc()).limit(1)
    ).first()


def raise_alert(
    rule: str,
    key: str,
    params: dict[str, Any],
    now: datetime | None = None,
    *,
    open_incident: bool = True,
) -> Alert | None:
    """Record a rule's finding; returns the alert when it is new or was delivered again."""
    now = now or utcnow()
    latest = _latest(key)
    if latest is not None and latest.params.get("window_end") == params.get("window_end"):
        return None  # the same burst, seen again while it is still in its window
    throttle = timedelta(minutes=rules.settings()["throttle_minutes"])
    if latest is not None and latest.status == "open":
        latest.params = params
        latest.occurrences += 1
        latest.last_at = now
        if latest.notified_at is None or now - latest.notified_at >= throttle:
            _deliver(latest, now)
            return latest
        return None
    alert = Alert(rule=rule, key=key[:200], status="open", params=params, first_at=now, last_at=now)
    db.session.add(alert)
    db.session.flush()
    if open_incident:
        _open_incident(alert, now)
    audit.record(
        actions.ADMIN_ACTION,
        actor=Actor.system(SYSTEM),
        details={"operation": "alert_raised", "alert": alert.id, "rule": rule},
    )
    _deliver(alert, now)
    return alert


def _open_incident(alert: Alert, now: datetime) -> None:
    rule, key, params = alert.rule, alert.key, alert.params
    incident = breaches.record(
        {
            "title": i18n.title(rule, params, "en")[:200],
            "description": i18n.title(rule, params, "da"),
            "detected_at": now,
        },
        Actor.system(SYSTEM),
        source=f"alert:{key}"[:200],
    )
    alert.breach_id = incident.id


def remind_deadline(breach_id: str, mark: str, now: datetime | None = None) -> Alert | None:
    """A 72-hour reminder of an incident, delivered like any alert (no new incident)."""
    return raise_alert(
        "breach_deadline",
        f"breach_deadline:{breach_id}:{mark}",
        {"breach": breach_id, "mark": mark, "window_end": mark},
        now,
        open_incident=False,
    )


def _deliver(alert: Alert, now: datetime) -> None:
    alert.deliveries = [*alert.deliveries, *delivery.deliver(alert)][-50:]
    alert.notified_at = now


def evaluate(now: datetime | None = None) -> list[Alert]:
    """Run every rule once; returns the alerts raised or delivered again."""
    from plugin.audit.sequencer import flush

    flush()  # the rules read the chained trail: take in what is still queued
    now = now or utcnow()
    candidates = [*rules.bursts("bulk_reveal", now), *rules.bursts("mass_export", now)]
    candidates.extend(rules.failed_signins(now))
    raised = []
    for candidate in candidates:
        alert = raise_alert(candidate["rule"], candidate["key"], candidate["params"], now)
        if alert is not None:
            raised.append(alert)
    rules.prune_signin_counts(now - timedelta(days=2))
    return raised


def acknowledge(alert_id: str, actor: Actor) -> Alert:
    """Mark an alert seen and handled by ``actor`` (audited)."""
    alert = get(alert_id)
    if alert.status != "open":
        raise AlertError(409, "This alert is already acknowledged")
    alert.status = "acknowledged"
    alert.acknowledged_by = actor.id
    alert.acknowledged_at = utcnow()
    audit.record(
        actions.ADMIN_ACTION,
        actor=actor,
        details={"operation": "alert_acknowledged", "alert": alert.id, "rule": alert.rule},
    )
    return alert


def get(alert_id: str) -> Alert:
    """One alert or AlertError 404."""
    alert = db.session.get(Alert, alert_id[:36])
    if alert is None:
        raise AlertError(404, "No such alert")
    return alert


def list_alerts(status: str | None = None, limit: int = 200) -> list[Alert]:
    """Alerts, most recently seen first."""
    query = sa.select(Alert).order_by(Alert.last_at.desc(), Alert.id).limit(limit)
    if status:
        query = query.where(Alert.status == status)
    return list(db.session.scalars(query))


def open_count() -> int:
    """Unacknowledged alerts (the console's badge)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Alert).where(Alert.status == "open")
        )
        or 0
    )


def as_dict(alert: Alert, lang: str = "en") -> dict[str, Any]:
    """The JSON form, with the alert in words."""
    return {
        "id": alert.id,
        "rule": alert.rule,
        "status": alert.status,
        "title": i18n.title(alert.rule, alert.params, lang),
        "params": dict(alert.params),
        "occurrences": alert.occurrences,
        "first_at": alert.first_at.isoformat(),
        "last_at": alert.last_at.isoformat(),
        "notified_at": alert.notified_at.isoformat() if alert.notified_at else None,
        "deliveries": list(alert.deliveries),
        "breach_id": alert.breach_id,
        "acknowledged_by": alert.acknowledged_by,
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
    }


def _in_context(app: Flask, work: Any) -> Any:
    with app.app_context():
        try:
            result = work()
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def watch_job(app: Flask) -> None:
    """Scheduler entry (job ``alert_watch``): run the rules, deliver what is new."""
    raised = _in_context(app, evaluate)
    if raised:
        log.warning("alerts raised", extra={"count": len(raised)})


def verify_audit_trail() -> Alert | None:
    """Verify the whole audit trail; a failure raises an alert and opens an incident."""
    from plugin.audit.verify import ChainError, verify_chain

    try:
        verify_chain(db.session, current_app.extensions["datavagt.keyring"])
    except ChainError as exc:
        now = utcnow()
        return raise_alert(
            "audit_verification",
            "audit_verification",
            {"problem": str(exc)[:500], "window_end": now.isoformat()},
            now,
        )
    return None


def audit_verify_job(app: Flask) -> None:
    """Scheduler entry (job ``audit_verify``, daily): check the trail end to end."""
    if _in_context(app, verify_audit_trail) is not None:
        log.error("audit trail verification failed; alert raised")
