"""Cheap language guess (Danish or English) from stop-word counts."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("auto", "da", "en")

# Stop words as UTF-8 bytes: detection splits the encoded text (see detect_language).
_DA = frozenset(
    "og jeg det er ikke at på med til en et har min mit mine vi kan hej tak venlig hilsen "
    "du der som af for den de vil skal har jeres jer mvh kære ordre også men".encode().split()
)
_EN = frozenset(
    b"the and is to of i you my have not with please thanks regards dear hi it this that "
    b"your we can will be for on are was order would".split()
)
# Lower-case ASCII letters and every non-ASCII byte are word bytes; the rest separate.
_WORD_BYTES = bytes(c if (97 <= c <= 122 or c >= 128) else 32 for c in range(256))
# The first few kilobytes decide; scanning a 5 MB body for this would be wasted work.
_SAMPLE = 4000


def detect_language(text: str, lower: str | None = None) -> str:
    """Return "da" or "en" for a text (ties and empty text count as Danish).

    ``lower`` is the text already lower-cased (the document keeps one), to save redoing it.
    """
    sample = text[:_SAMPLE]
    da, en = language_votes(sample, sample.lower() if lower is None else lower[:_SAMPLE])
    return "en" if en > da else "da"


def language_votes(sample: str, lowered: str) -> tuple[int, int]:
    """(Danish, English) votes of a sample: stop words, and 2 for any Danish letter.

    Votes add up, so a long text's neighbouring blocks can be judged together.
    """
    # Bytes: one C-level translate and split instead of a regex tokenizer (5x faster); the
    # UTF-8 bytes of "æøå" stay inside their words.
    words = lowered.encode("utf-8").translate(_WORD_BYTES).split()
    da = sum(map(_DA.__contains__, words))
    en = sum(map(_EN.__contains__, words))
    # Danish letters are a strong hint that stop words alone may miss in short texts.
    if any(c in sample for c in "æøåÆØÅ"):
        da += 2
    return da, en


def resolve_language(text: str, lang: str) -> str:
    """Validate ``lang`` and resolve "auto" to a concrete language."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return detect_language(text) if lang == "auto" else lang
