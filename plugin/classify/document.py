"""The text under classification plus cheap shared views of it (lower-cased, language)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from operator import methodcaller

import ahocorasick

from plugin.classify.finding import Hints
from plugin.classify.language import detect_language, language_votes, resolve_language

# Digits joined by at most two separators: every number-shaped identifier lies in one run.
# ASCII digits: in str patterns "\d" checks every Unicode digit and scans about 4x slower.
_DIGIT_RUN = re.compile(r"[0-9](?:[ \-.+()/:\u00a0]{0,2}[0-9])*")
_SEPARATORS = str.maketrans("", "", " -.+()/:\u00a0")
_GROUP = re.Match.group
_START = re.Match.start
_END = re.Match.end
# Long bodies mix languages (quoted replies, forwarded mails): decide near the span.
_LOCAL_LANGUAGE_WINDOW = 400


class Phrases:
    """Word-bounded context words and phrases, found in a window of the lower-cased text by
    one Aho-Corasick pass over the window (an alternation of dozens of words tried at every
    position of the window was the hot spot of every labelled detector)."""

    def __init__(self, words: tuple[str, ...] | list[str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for word in {w.lower() for w in words}:
            self.automaton.add_word(word, len(word))
        self.automaton.make_automaton()

    def last_end(self, lower: str, start: int, end: int) -> int:
        """End offset of the last phrase inside ``lower[start:end]``, or -1.

        A phrase must start after a non-word character (the real text before ``start``
        counts) and end at ``end`` or before a non-word character, as ``(?<!\\w)…(?!\\w)``
        searched with ``pos``/``endpos`` would.
        """
        found = -1
        if start < 0:
            start = 0
        # A slice, not iter(lower, start, end): the automaton would convert all of a long
        # body on every call.
        for last, size in self.automaton.iter(lower[start:end]):
            stop = start + last + 1
            begin = stop - size
            if begin > 0 and (lower[begin - 1].isalnum() or lower[begin - 1] == "_"):
                continue
            if stop < end and (lower[stop].isalnum() or lower[stop] == "_"):
                continue
            if stop > found:
                found = stop
        return found


def words_pattern(words: tuple[str, ...] | list[str]) -> Phrases:
    """Context words or phrases, matched word-bounded on lower-cased text."""
    return Phrases(words)


@dataclass
class Document:
    """A text to classify; detectors share its lazily computed views."""

    text: str
    lang: str = "auto"
    hints: Hints = field(default_factory=Hints)
    _block_languages: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    _block_votes: dict[int, tuple[int, int]] = field(default_factory=dict, init=False, repr=False)
    _runs: dict[tuple[int, int], list[tuple[int, int]]] = field(
        default_factory=dict, init=False, repr=False
    )

    @cached_property
    def language(self) -> str:
        """The resolved language, "da" or "en" (auto uses a stop-word heuristic)."""
        if self.lang != "auto":
            return resolve_language("", self.lang)
        return detect_language(self.text, self.lower)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """Languages whose lexicons apply: both in auto mode, else the one asked for."""
        return ("da", "en") if self.lang == "auto" else (self.lang,)

    @cached_property
    def lower(self) -> str:
        """Lower-cased text; same length as ``text`` for the scripts we handle."""
        lowered = self.text.lower()
        # A few characters (e.g. "İ") change length when lower-cased; keep offsets honest.
        if len(lowered) != len(self.text):
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
        return lowered

    def language_at(self, position: int) -> str:
        """The language around ``position`` (the document's own for short texts)."""
        if self.lang != "auto" or len(self.text) <= 3 * _LOCAL_LANGUAGE_WINDOW:
            return self.language
        block = position // _LOCAL_LANGUAGE_WINDOW
        found = self._block_languages.get(block)
        if found is None:
            # The block and its two neighbours vote; each block is counted once per text.
            da = en = 0
            for near in range(max(0, block - 1), block + 2):
                votes = self._block_votes.get(near)
                if votes is None:
                    start = near * _LOCAL_LANGUAGE_WINDOW
                    stop = start + _LOCAL_LANGUAGE_WINDOW
                    votes = self._block_votes[near] = language_votes(
                        self.text[start:stop], self.lower[start:stop]
                    )
                da += votes[0]
                en += votes[1]
            found = self._block_languages[block] = "en" if en > da else "da"
        return found

    @cached_property
    def digit_runs(self) -> list[tuple[int, int, int]]:
        """(start, end, digit count) of every run of digits, found once for all detectors."""
        matches = list(_DIGIT_RUN.finditer(self.text))
        # map() over C methods instead of a comprehension calling three per run.
        counts = map(len, map(methodcaller("translate", _SEPARATORS), map(_GROUP, matches)))
        return list(zip(map(_START, matches), map(_END, matches), counts, strict=True))

    def runs(self, min_digits: int, max_digits: int = 10**9) -> list[tuple[int, int]]:
        """Digit runs with a digit count in the given range (number-shaped candidates)."""
        key = (min_digits, max_digits)
        found = self._runs.get(key)
        if found is None:
            found = self._runs[key] = [
                (s, e) for s, e, n in self.digit_runs if min_digits <= n <= max_digits
            ]
        return found

    def before(self, start: int, window: int) -> str:
        """Return up to ``window`` characters before ``start``."""
        return self.text[max(0, start - window) : start]

    def after(self, end: int, window: int) -> str:
        """Return up to ``window`` characters after ``end``."""
        return self.text[end : end + window]

    def near(
        self, pattern: Phrases, start: int, end: int, before: int = 40, after: int = 15
    ) -> bool:
        """Tell whether a phrase of ``pattern`` occurs just around a span."""
        lower = self.lower
        return (
            pattern.last_end(lower, start - before, start) >= 0
            or after > 0
            and pattern.last_end(lower, end, min(len(lower), end + after)) >= 0
        )

    def last(self, pattern: Phrases, start: int, window: int) -> int:
        """End offset of the last ``pattern`` phrase in the ``window`` before ``start``, or -1."""
        return pattern.last_end(self.lower, start - window, start)
