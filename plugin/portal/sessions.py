"""Portal sessions: a random id in an HttpOnly cookie, its SHA-256 in the database.

A new id is made at every login and any id the browser brought along is revoked, so an id
planted before login (session fixation) never becomes a signed-in session. CSRF tokens are
an HMAC of the session id under a key of their own: nothing extra to store.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, current_app, g, request

from plugin.extensions import db
from plugin.models import DataSubject, PortalSession
from plugin.models.types import utcnow

COOKIE = "dv_portal"
COOKIE_PATH = "/portal"
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=4)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _derived_key(label: bytes) -> bytes:
    index_key = current_app.extensions["datavagt.keyring"].index_key
    return hmac.new(index_key, label, hashlib.sha256).digest()


def cookie_secure() -> bool:
    """Secure cookies on HTTPS, behind an https public URL, or when settings ask for it."""
    settings = current_app.extensions["datavagt.settings"]
    forced = str(settings.extra.get("portal_cookie_secure", "")).lower() in ("1", "true", "on")
    return bool(request.is_secure or (settings.public_url or "").startswith("https://") or forced)


def set_cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
    """One place for cookie flags: HttpOnly, SameSite=Lax, Secure on HTTPS, path /portal."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        secure=cookie_secure(),
        samesite="Lax",
    )


def start(subject_id: str) -> str:
    """Create a session for the subject (caller commits); returns the cookie value."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    # Housekeeping on the way in: sessions over for a day are of no use to anyone.
    db.session.execute(
        sa.delete(PortalSession).where(PortalSession.expires_at < now - timedelta(days=1))
    )
    db.session.add(
        PortalSession(
            id_hash=_hash(session_id),
            subject_id=subject_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE,
        )
    )
    return session_id


def revoke(session_id: str | None) -> None:
    """End the session with this id, if any (caller commits)."""
    if session_id:
        db.session.execute(
            sa.update(PortalSession)
            .where(PortalSession.id_hash == _hash(session_id), PortalSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def current() -> PortalSession | None:
    """The live session the request's cookie names, cached on ``g``; None when signed out."""
    if "portal_session" in g:
        return g.portal_session
    g.portal_session = None
    session_id = request.cookies.get(COOKIE, "")
    if not session_id or len(session_id) > 128:
        return None
    row = db.session.get(PortalSession, _hash(session_id))
    now = utcnow()
    if (
        row is None
        or row.revoked_at is not None
        or _erased(row.subject_id)
        or row.expires_at <= now
        or row.last_seen_at + IDLE <= now
    ):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    g.portal_session = row
    g.portal_session_id = session_id
    return row


def _erased(subject_id: str) -> bool:
    subject = db.session.get(DataSubject, subject_id)
    return subject is None or subject.erased_at is not None


def csrf_token() -> str:
    """The CSRF token of the current session (HMAC of its id)."""
    session_id = g.get("portal_session_id", "")
    return hmac.new(
        _derived_key(b"datavagt portal csrf v1"), session_id.encode(), "sha256"
    ).hexdigest()


def csrf_ok(sent: str | None) -> bool:
    """Whether a form's token belongs to the current session."""
    if current() is None or not sent:
        return False
    return hmac.compare_digest(str(sent), csrf_token())
