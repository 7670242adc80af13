"""The text under classification plus cheap shared views of it (lower-cased, language)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from plugin.classify.finding import Hints
from plugin.classify.language import resolve_language


def words_pattern(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """Compile a case-insensitive, word-bounded alternation of context words."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


@dataclass
class Document:
    """A text to classify; detectors share its lazily computed views."""

    text: str
    lang: str = "auto"
    hints: Hints = field(default_factory=Hints)

    @cached_property
    def language(self) -> str:
        """The resolved language, "da" or "en" (auto uses a stop-word heuristic)."""
        return resolve_language(self.text, self.lang)

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

    def before(self, start: int, window: int) -> str:
        """Return up to ``window`` characters before ``start``."""
        return self.text[max(0, start - window) : start]

    def after(self, end: int, window: int) -> str:
        """Return up to ``window`` characters after ``end``."""
        return self.text[end : end + window]

    def near(
        self, pattern: re.Pattern[str], start: int, end: int, before: int = 40, after: int = 15
    ) -> bool:
        """Tell whether ``pattern`` occurs just before or just after a span."""
        return bool(
            pattern.search(self.before(start, before)) or pattern.search(self.after(end, after))
        )
