"""Substitute tokens into a field's text form and render it back for the vendor.

Findings' offsets refer to the field's *text* form (HTML converted to text). HTML fields
are therefore written back as the tokenised text, HTML-escaped, one ``<p>`` per paragraph
and ``<br>`` per line break: formatting of the original is lost, the words are kept, and
converting the result to text again gives exactly the tokenised text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


def substitute(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Replace (start, end, token) spans, which must not overlap."""
    out = text
    for start, end, token in sorted(spans, key=lambda s: s[0], reverse=True):
        out = out[:start] + token + out[end:]
    return out


def as_html(text: str) -> str:
    """Tokenised text as escaped HTML paragraphs."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def render(text: str, is_html: bool) -> str:
    """The value to write into the vendor field."""
    return as_html(text) if is_html else text
