"""Cheap language guess (Danish or English) from stop-word counts."""

from __future__ import annotations

import re

LANGUAGES: tuple[str, ...] = ("auto", "da", "en")

_DA = frozenset(
    "og jeg det er ikke at på med til en et har min mit mine vi kan hej tak venlig hilsen "
    "du der som af for den de vil skal har jeres jer mvh kære ordre også men".split()
)
_EN = frozenset(
    "the and is to of i you my have not with please thanks regards dear hi it this that "
    "your we can will be for on are was order would".split()
)
_WORD = re.compile(r"[a-zæøå]+")
# The first few kilobytes decide; scanning a 5 MB body for this would be wasted work.
_SAMPLE = 4000


def detect_language(text: str) -> str:
    """Return "da" or "en" for a text (ties and empty text count as Danish)."""
    da = en = 0
    for word in _WORD.findall(text[:_SAMPLE].lower()):
        if word in _DA:
            da += 1
        if word in _EN:
            en += 1
    # Danish letters are a strong hint that stop words alone may miss in short texts.
    if any(c in text[:_SAMPLE] for c in "æøåÆØÅ"):
        da += 2
    return "en" if en > da else "da"


def resolve_language(text: str, lang: str) -> str:
    """Validate ``lang`` and resolve "auto" to a concrete language."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return detect_language(text) if lang == "auto" else lang
