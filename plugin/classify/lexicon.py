"""Data-file lexicons and word-bounded Aho-Corasick matching over them."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

import ahocorasick


@cache
def load_words(filename: str) -> frozenset[str]:
    """Read a one-entry-per-line data file (``#`` comments and blank lines ignored)."""
    text = resources.files("plugin.classify").joinpath("data", filename).read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def load_pairs(filename: str) -> tuple[tuple[str, str], ...]:
    """Read a ``key<TAB>term`` data file into (key, term) pairs."""
    pairs = []
    for line in sorted(load_words(filename)):
        key, _, term = line.partition("\t")
        if not term:
            raise ValueError(f"{filename}: expected 'key<TAB>term', got {line!r}")
        pairs.append((key.strip(), term.strip()))
    return tuple(pairs)


def build_automaton(entries: dict[str, object]) -> ahocorasick.Automaton:
    """Build an Aho-Corasick automaton mapping each key to ``(key, payload)``."""
    automaton = ahocorasick.Automaton()
    for key, payload in entries.items():
        automaton.add_word(key, (key, payload))
    if entries:
        automaton.make_automaton()
    return automaton


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def iter_words(
    automaton: ahocorasick.Automaton, text: str, prefix_ok: bool = False, longest: bool = False
) -> Iterator[tuple[int, int, str, object]]:
    """Yield (start, end, key, payload) for matches that start and end on word boundaries.

    With ``prefix_ok`` a match may end inside a word when its payload allows it (lexicon
    stems such as "diabet*" match "diabetes" and "diabetiker"). With ``longest`` only the
    longest of overlapping matches is kept ("Anne-Marie", not "Anne" and "Marie").
    """
    if len(automaton) == 0:
        return
    size = len(text)
    matches = automaton.iter_long(text) if longest else automaton.iter(text)
    for last, (key, payload) in matches:
        start = last - len(key) + 1
        end = last + 1
        if start > 0 and _is_word_char(text[start - 1]):
            continue
        if end < size and _is_word_char(text[end]):
            if not (prefix_ok and getattr(payload, "prefix", False)):
                continue
            while end < size and _is_word_char(text[end]):
                end += 1
        yield start, end, key, payload


class PhraseFinder:
    """Word-bounded occurrences of fixed phrases in lower-cased text, each with a payload."""

    def __init__(self, phrases: dict[str, object]) -> None:
        self.automaton = build_automaton({k.lower(): v for k, v in phrases.items()})

    def find(self, lower: str) -> Iterator[tuple[int, int, object]]:
        """Yield (start, end, payload) of every phrase occurrence, in order of their ends."""
        for start, end, _key, payload in iter_words(self.automaton, lower):
            yield start, end, payload
