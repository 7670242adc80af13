"""The language a console page is shown in, remembered in a cookie.

``?lang=`` (or a form's ``lang``) picks it and is remembered; else the cookie; else the
browser's ``Accept-Language``; else English."""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import HTTPException

LANGUAGES = ("da", "en")
LANG_COOKIE = "dv_console_lang"
ONE_YEAR = 365 * 24 * 3600


def page_lang() -> str:
    """``da`` or ``en``: the asked language, else the remembered one, else the browser's."""
    # Per request, not in ``g``: an app context (and its ``g``) may outlive one request.
    cached = request.environ.get("datavagt.console_lang")
    if cached:
        return str(cached)
    try:
        asked = request.values.get("lang", "")
    except HTTPException:  # an oversized or unreadable form: its own handler answers
        asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        request.environ["datavagt.console_lang_asked"] = asked
        lang = asked
    else:
        remembered = request.cookies.get(LANG_COOKIE, "")
        lang = remembered if remembered in LANGUAGES else ""
        lang = lang or request.accept_languages.best_match(LANGUAGES) or "en"
    request.environ["datavagt.console_lang"] = lang
    return lang


def remember(response: Response) -> Response:
    """Store a language picked with ``?lang=`` so later pages keep it (after_request)."""
    page_lang()
    asked = request.environ.get("datavagt.console_lang_asked")
    if asked and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=ONE_YEAR,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response
