"""Audit policy changes: the manifest is the source, a changed policy hash is a policy_change."""

from __future__ import annotations

import base64
import threading

from flask import Flask

from plugin.access.mapping import get_mapping
from plugin.access.policy import get_policy
from plugin.audit import actions, record
from plugin.audit.queries import newest
from plugin.auth.guard import Actor
from plugin.extensions import db

_CHECKED = "datavagt.policy_checked"
_LOCK = threading.Lock()


def policy_fingerprint() -> str:
    """Base64url SHA-256 of policy + mapping (base64, not hex: hex digit runs look like CPR)."""
    mapping = {v: dict(s) for v, s in get_mapping().vendors.items()}
    digest = bytes.fromhex(get_policy().digest(mapping))
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def last_recorded_fingerprint() -> str | None:
    """The fingerprint of the newest policy_change event (queued or chained), if any."""
    details = newest("details", action=actions.POLICY_CHANGE)
    return (details or {}).get("policy_hash") if details is not None else None


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
