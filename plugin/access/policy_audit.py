"""Audit policy changes: the manifest is the source, a changed policy hash is a policy_change."""

from __future__ import annotations

import base64
import threading

import sqlalchemy as sa
from flask import Flask

from plugin.access.mapping import get_mapping
from plugin.access.policy import get_policy
from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import AuditEvent

_CHECKED = "datavagt.policy_checked"
_LOCK = threading.Lock()


def policy_fingerprint() -> str:
    """Base64url SHA-256 of policy + mapping (base64, not hex: hex digit runs look like CPR)."""
    mapping = {v: dict(s) for v, s in get_mapping().vendors.items()}
    digest = bytes.fromhex(get_policy().digest(mapping))
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def last_recorded_fingerprint() -> str | None:
    """The fingerprint of the newest policy_change event, if any."""
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == actions.POLICY_CHANGE)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return (event.details or {}).get("policy_hash") if event else None


def audit_policy_if_changed() -> bool:
    """Record ``policy_change`` when the running policy differs from the last audited one."""
    current = policy_fingerprint()
    previous = last_recorded_fingerprint()
    if previous == current:
        return False
    record(
        actions.POLICY_CHANGE,
        actor=Actor.system("startup"),
        details={"policy_hash": current, "previous_hash": previous, "source": "manifest"},
    )
    db.session.commit()
    return True


def ensure_policy_audited(app: Flask) -> None:
    """Run the check once per process, on the first agent request after start-up."""
    if app.extensions.get(_CHECKED):
        return
    with _LOCK:
        if not app.extensions.get(_CHECKED):
            audit_policy_if_changed()
            app.extensions[_CHECKED] = True
