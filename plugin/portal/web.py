"""What every portal page shares: language, rendering, login guard, CSRF, headers, errors."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, abort, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from plugin.forms import csrf as anonymous_csrf
from plugin.messages.threads import unread_count
from plugin.portal import sessions
from plugin.portal.i18n import LANG_COOKIE, LANGUAGES, labels, pick_language

F = TypeVar("F", bound=Callable[..., Any])
ANON_CSRF_COOKIE = "dv_portal_csrf"
ANON_FORM = "portal-login"
# Outcome notices a redirect may name (label keys only; never data).
DONE = frozenset({"consent_withdrawn_ok", "consent_given_ok", "request_ok", "reply_ok"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def reset() -> None:
    """Forget per-request caches (``g`` outlives a request when an app context is shared)."""
    for name in ("portal_session", "portal_session_id", "portal_lang", "portal_subject_id"):
        g.pop(name, None)


def lang() -> str:
    """This request's language (cached on ``g``)."""
    if "portal_lang" not in g:
        g.portal_lang = pick_language(request)
    return str(g.portal_lang)


def page(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    """Render a portal template with the words, language and session's CSRF token."""
    session = sessions.current()
    current = lang()
    words = labels(current)
    done, due = request.args.get("done", ""), request.args.get("due", "")
    notice = words[done].format(due=due if _DATE.match(due) else "") if done in DONE else None
    html = render_template(
        f"portal/{template}",
        t=words,
        notice=notice,
        lang=current,
        other_lang="en" if current == "da" else "da",
        signed_in=session is not None,
        portal_csrf=sessions.csrf_token() if session is not None else "",
        unread=unread_count(session.subject_id) if session is not None else 0,
        **context,
    )
    return html, status


def headers(response: Response) -> Response:
    """No caching of personal pages, no framing, no referrer (links may hold tokens)."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        sessions.set_cookie(response, LANG_COOKIE, asked, 365 * 24 * 3600)
    return response


def wants_json() -> bool:
    """Whether the client prefers a JSON answer to an HTML page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def too_many(wait: float) -> ResponseReturnValue:
    """429 with Retry-After, as JSON or as a page."""
    if wants_json():
        response = jsonify({"error": {"code": "rate_limited", "message": "Too many attempts"}})
        response.status_code = 429
    else:
        body, status = page("message.html", 429, title_key="error_title", text_key="error_rate")
        response = Response(body, status=status, mimetype="text/html")
    response.headers["Retry-After"] = str(int(wait))
    return response


def subject_id() -> str:
    """The signed-in person's subject id (inside ``login_required`` views)."""
    return str(g.portal_subject_id)


def login_required(view: F) -> F:
    """Send signed-out visitors to the login page; check the session's CSRF token on POST."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        session = sessions.current()
        if session is None:
            return redirect(url_for("portal_auth.login_form"))
        if request.method == "POST" and not sessions.csrf_ok(request.form.get("csrf_token")):
            abort(403, description="csrf")
        g.portal_subject_id = session.subject_id
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def issue_anonymous_csrf(response: Response, token_cookie: str) -> None:
    """Set the double-submit cookie that goes with a signed-out form's token."""
    sessions.set_cookie(response, ANON_CSRF_COOKIE, token_cookie, anonymous_csrf.MAX_AGE)


def anonymous_csrf_ok() -> bool:
    """Whether a signed-out form (login, link confirmation) carries a valid CSRF pair."""
    try:
        anonymous_csrf.check(
            ANON_FORM, request.cookies.get(ANON_CSRF_COOKIE), request.form.get("csrf_token")
        )
    except anonymous_csrf.CsrfError:
        return False
    return True
