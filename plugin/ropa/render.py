"""Render the record of processing as HTML or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from plugin.ropa.i18n import LABELS

FORMATS = ("json", "html", "md", "pdf")
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    ropa: dict[str, Any], fmt: str, *, version: dict[str, Any] | None = None, body: bool = False
) -> str:
    """``ropa`` as ``html`` or ``md`` text in its own language (``body``: HTML without page)."""
    if fmt not in ("html", "md"):
        raise ValueError(f"unknown format {fmt!r}")
    name = "ropa_body.html" if body and fmt == "html" else f"ropa.{fmt}"
    labels = LABELS[ropa.get("lang", "en")]
    return _ENV.get_template(name).render(r=ropa, L=labels, version=version)
