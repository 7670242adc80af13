"""Render the record of processing as HTML or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

FORMATS = ("json", "html", "md")
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(ropa: dict[str, Any], fmt: str) -> str:
    """``ropa`` as ``html`` or ``md`` text."""
    if fmt not in ("html", "md"):
        raise ValueError(f"unknown format {fmt!r}")
    return _ENV.get_template(f"ropa.{fmt}").render(r=ropa)
