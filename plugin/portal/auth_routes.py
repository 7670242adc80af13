"""Signing in to My pages: ask for a link, confirm it, sign out."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, make_response, redirect, request, url_for
from flask.typing import ResponseReturnValue

from plugin import audit
from plugin.alerts.rules import count_failed_signin
from plugin.consent.service import hash_ip
from plugin.extensions import db
from plugin.forms import csrf as anonymous_csrf
from plugin.messages.service import subject_actor
from plugin.portal import links, sessions, web
from plugin.portal.limits import first_wait, limits
from plugin.portal.urls import base_url

bp = Blueprint("portal_auth", __name__, url_prefix="/portal", template_folder="templates")
MAX_EMAIL = 254


@bp.before_request
def _fresh() -> None:
    web.reset()


@bp.after_request
def _headers(response: Response) -> Response:
    return web.headers(response)


def _with_form(template: str, status: int = 200, **context: object) -> ResponseReturnValue:
    """A signed-out page with a fresh CSRF pair (cookie + hidden field)."""
    cookie, token = anonymous_csrf.issue(web.ANON_FORM)
    body, code = web.page(template, status, form_csrf=token, **context)  # type: ignore[misc]
    response = make_response(body, code)
    web.issue_anonymous_csrf(response, cookie)
    return response


def _client() -> str:
    return hash_ip(request.remote_addr) or "unknown"


@bp.get("/")
def home() -> ResponseReturnValue:
    """Signed in: My data; otherwise the login page."""
    if sessions.current() is None:
        return redirect(url_for("portal_auth.login_form"))
    return redirect(url_for("portal.data"))


@bp.get("/login")
def login_form() -> ResponseReturnValue:
    """Ask for an e-mail address."""
    return _with_form("login.html")


@bp.post("/login")
def login_send() -> ResponseReturnValue:
    """Send a link when the address is known; the answer is the same either way."""
    if not web.anonymous_csrf_ok():
        return _with_form("login.html", 403, error_key="error_csrf")
    email = request.form.get("email", "").strip()
    if not email or len(email) > MAX_EMAIL or "@" not in email or any(c.isspace() for c in email):
        return _with_form("login.html", 422, error_key="error_invalid")
    wait = first_wait(
        (limits().per_ip, _client()), (limits().per_address, links.email_index(email))
    )
    if wait is not None:
        return web.too_many(wait)
    deliver = links.send_link(email, base_url(), web.lang())
    body, status = web.page("message.html", title_key="link_sent_title", text_key="link_sent")  # type: ignore[misc]
    response = make_response(body, status)
    if deliver is not None:
        # After the last byte of the answer: a known address answers as fast as an unknown.
        response.call_on_close(deliver)
    return response


@bp.get("/login/<token>")
def confirm_form(token: str) -> ResponseReturnValue:
    """A button that uses the link: mail scanners that fetch links do not spend it."""
    if len(token) > 128:
        abort(404)
    return _with_form("confirm.html", token=token)


@bp.post("/login/confirm")
def confirm() -> ResponseReturnValue:
    """Use the link once and start a fresh session (any older session id is revoked)."""
    wait = first_wait((limits().confirm_per_ip, _client()))
    if wait is not None:
        return web.too_many(wait)
    if not web.anonymous_csrf_ok():
        return _with_form("login.html", 403, error_key="error_csrf")
    try:
        subject_id = links.redeem(request.form.get("token", ""))
    except links.LinkError:
        count_failed_signin("portal")
        return _with_form("login.html", 400, error_key="link_invalid")
    sessions.revoke(request.cookies.get(sessions.COOKIE))
    session_id = sessions.start(subject_id)
    audit.record(
        audit.actions.LOGIN,
        actor=subject_actor(subject_id),
        subject_id=subject_id,
        details={"console": "portal", "method": "magic_link"},
    )
    db.session.commit()
    g.pop("portal_session", None)
    response = redirect(url_for("portal.data"))
    sessions.set_cookie(response, sessions.COOKIE, session_id, None)
    response.delete_cookie(web.ANON_CSRF_COOKIE, path=sessions.COOKIE_PATH)
    return response


@bp.post("/logout")
@web.login_required
def logout() -> ResponseReturnValue:
    """End the session."""
    sessions.revoke(request.cookies.get(sessions.COOKIE))
    db.session.commit()
    response = redirect(url_for("portal_auth.login_form"))
    response.delete_cookie(sessions.COOKIE, path=sessions.COOKIE_PATH)
    return response
