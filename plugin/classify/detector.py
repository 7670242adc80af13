"""The detector contract: one subclass per personal-data type (Presidio-recognizer style)."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.document import Document
from plugin.classify.finding import CATEGORIES, Finding


class Detector(ABC):
    """Finds one kind of personal data; subclasses set the class constants."""

    name: ClassVar[str]
    entity_type: ClassVar[str]
    category: ClassVar[str]
    #: Score of a plain match; context and checksums move it up or down.
    base_score: ClassVar[float] = 0.6

    def __init__(self, base_score: float | None = None) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{type(self).__name__}: unknown category {self.category!r}")
        self.score = self.base_score if base_score is None else base_score

    @abstractmethod
    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield findings in ``doc`` (offsets into ``doc.text``)."""

    def finding(
        self,
        start: int,
        end: int,
        score: float,
        entity_type: str | None = None,
        category: str | None = None,
    ) -> Finding:
        """Build a finding of this detector, clamping the score to [0, 1]."""
        # Positional arguments and plain comparisons: this runs for every candidate.
        if score > 1.0:
            score = 1.0
        elif score < 0.0:
            score = 0.0
        return Finding(
            entity_type or self.entity_type, category or self.category, start, end, score, self.name
        )

    @staticmethod
    def in_digit_runs(
        doc: Document,
        pattern: re.Pattern[str],
        min_digits: int,
        max_digits: int = 10**9,
        before: int = 3,
        after: int = 2,
        dots: int = 0,
    ) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` inside the document's digit runs, not a full-text rescan.

        ``dots`` skips runs with fewer full stops (an IPv4 address has three).
        """
        text = doc.text
        finditer = pattern.finditer
        last_end = 0
        for start, end in doc.runs(min_digits, max_digits):
            if dots and text.count(".", start, end) < dots:
                continue
            # Look-behinds still see the real text before the window; look-aheads see
            # ``after`` real characters, enough for the one-character boundary checks.
            start -= before
            for match in finditer(text, start if start > 0 else 0, end + after):
                if match.start() >= last_end:
                    last_end = match.end()
                    yield match

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
