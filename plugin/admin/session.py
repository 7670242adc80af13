"""Admin console sessions: a pasted Datavagt JWT exchanged for a signed, HttpOnly cookie."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Request

from plugin.auth.guard import Actor
from plugin.auth.tokens import TokenError, verify_token
from plugin.extensions import db
from plugin.keys import Keyring
from plugin.models import AdminSession
from plugin.models.types import utcnow

F = TypeVar("F", bound=Callable[..., Any])
ADMIN_ROLE = "dpo"  # admin implies dpo in the manifest
MAX_SESSION_SECONDS = 8 * 3600


def session_secret(keyring: Keyring) -> bytes:
    """A cookie-signing key derived from the index key (HKDF-SHA256); never stored."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"datavagt-admin-session-v1")
    return hkdf.derive(keyring.index_key)


class AdminSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, for the console's paths only; Secure whenever the request (or
    public URL) is HTTPS."""

    def __init__(self, path_prefix: str) -> None:
        self.path_prefix = path_prefix.rstrip("/")

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The console's session; None elsewhere, and Flask gives a NullSession instead.

        Flask opens the session of every request, before routing: webhooks and the APIs
        would verify the cookie and build its serializer on every call, for nothing."""
        path = request.path
        if path != self.path_prefix and not path.startswith(self.path_prefix + "/"):
            return None
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure on HTTPS: the cookie must never travel in clear."""
        public = app.extensions["datavagt.settings"].public_url or ""
        return bool(
            request.is_secure or public.startswith("https://") or super().get_cookie_secure(app)
        )


def init_session(app: Flask, path_prefix: str) -> None:
    """Signed, HttpOnly, SameSite=Strict cookies keyed from the keyring, under ``path_prefix``."""
    keyring = app.extensions["datavagt.keyring"]
    if not keyring.missing:  # a CLI command without a key file serves no console
        app.secret_key = session_secret(keyring)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["SESSION_COOKIE_NAME"] = "datavagt_admin"
    # Sent to the console's pages only, never to the APIs, the portal or static files.
    app.config["SESSION_COOKIE_PATH"] = path_prefix.rstrip("/") or "/"
    app.session_interface = AdminSessionInterface(path_prefix)


def login(token: str) -> Actor:
    """Verify a pasted JWT (role must imply dpo) and start a session; raises TokenError."""
    claims = verify_token(current_app.extensions["datavagt.keyring"], token)
    manifest = current_app.extensions["datavagt.manifest"]
    role = str(claims.get("role", ""))
    if ADMIN_ROLE not in manifest.implied_roles(role):
        raise TokenError("this console is for the DPO and administrators")
    revoke()  # an id the browser brought along never becomes a signed-in session
    session.clear()
    expires = min(int(claims["exp"]), int(time.time()) + MAX_SESSION_SECONDS)
    session_id = secrets.token_urlsafe(32)
    db.session.add(
        AdminSession(
            id_hash=_hash(session_id),
            actor_id=str(claims["sub"]),
            role=role,
            expires_at=datetime.fromtimestamp(expires, tz=UTC),
        )
    )
    session["admin"] = {"sid": session_id, "sub": str(claims["sub"]), "role": role, "exp": expires}
    session["csrf"] = secrets.token_urlsafe(32)
    return Actor(id=str(claims["sub"]), role=role, source="admin")


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _row(data: Any) -> AdminSession | None:
    sid = data.get("sid") if isinstance(data, dict) else None
    if not isinstance(sid, str) or not sid:
        return None
    return db.session.get(AdminSession, _hash(sid))


def revoke() -> None:
    """End this browser's session server-side (logout): a copied cookie opens nothing."""
    row = _row(session.get("admin"))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()


def current_admin() -> Actor | None:
    """The signed-in admin, or None (expired or revoked sessions count as signed out)."""
    data = session.get("admin")
    if not data or int(data.get("exp", 0)) < time.time():
        return None
    row = _row(data)
    if row is None or row.revoked_at is not None or row.expires_at < utcnow():
        return None
    return Actor(id=row.actor_id, role=row.role, source="admin")


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def check_csrf() -> None:
    """Abort 400 unless the form carries this session's CSRF token."""
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        abort(400, description="The form expired; reload the page and try again")


def admin_required(view: F) -> F:
    """Redirect to the login page unless signed in; check CSRF on every POST."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        actor = current_admin()
        if actor is None:
            session.pop("admin", None)
            return redirect(url_for("admin.login_form"))
        if request.method == "POST":
            check_csrf()
        return view(actor, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
