"""The record of processing as PDF: the same HTML body, laid out by fpdf2.

fpdf2's built-in PDF fonts cover Latin-1 (æ, ø, å, é, §), which is every letter the Danish and
English records use; the few typographic marks outside it are mapped to their plain forms so
a text never fails to render.
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from plugin.ropa.render import render

_PLAIN = str.maketrans(
    {"·": "-", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "≥": ">="}
)


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def render_pdf(ropa: dict[str, Any], *, version: dict[str, Any] | None = None) -> bytes:
    """``ropa`` as a PDF document in its own language."""
    body = _latin1(render(ropa, "html", version=version, body=True))
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(ropa.get("title", "ROPA")))
    pdf.set_creator("Datavagt")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    pdf.write_html(body)
    return bytes(pdf.output())
