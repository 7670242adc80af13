"""The language a console page is shown in: ``?lang=`` (or the form's ``lang``), else English."""

from __future__ import annotations

from flask import request

LANGUAGES = ("da", "en")


def page_lang() -> str:
    """``da`` or ``en`` from the request; anything else falls back to English."""
    lang = request.values.get("lang", "en")
    return lang if lang in LANGUAGES else "en"
