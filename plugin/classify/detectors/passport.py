"""Passport numbers, only where the text says "pas", "pasnummer" or "passport" just before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding


class PassportDetector(Detector):
    """Danish passport numbers (9 digits) and letter+digit ones of other countries (identity)."""

    name = "passport"
    entity_type = "passport"
    category = "identity"
    base_score = 0.85

    # Matched on the lower-cased text at each "pas"/"passport": the label, then only filler
    # words ("nummer", "no.", "er", "is") up to the number, so "pas på, ordre 123456789"
    # is not a passport.
    LABELLED: ClassVar[re.Pattern[str]] = re.compile(
        r"(?:pas|passet|passets|pasnr|pas-nr|pasnummer|pasnummeret|passnummer|passport|"
        r"passports|passport's)(?!\w)"
        r"(?:[\s:.#(),-]|nr|no|nummer|number|num|er|is|was|var|lyder|på|har|has|it's)*?"
        r"(?<![\w-])(?P<number>(?=[a-z]*\d)[a-z0-9]{6,9})(?![\w-])"
    )
    # Danish passports are nine digits; other countries mix capitals and digits
    # ("C01X00T47", "A12345678", "12AB34567").
    NUMBER: ClassVar[re.Pattern[str]] = re.compile(
        r"\d{9}|(?=[A-Z0-9]{8,9}\Z)(?=(?:\D*\d){5})[A-Z0-9]*[A-Z][A-Z0-9]*"
    )
    MAX_GAP: ClassVar[int] = 30

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield passport-shaped numbers right after a passport label."""
        lower = doc.lower
        text = doc.text
        # "pas" is rare in tickets: a substring search skips almost every text at C speed.
        at = lower.find("pas")
        while at >= 0:
            if at == 0 or not lower[at - 1].isalnum():
                match = self.LABELLED.match(lower, at, at + 16 + self.MAX_GAP)
                if match is not None:
                    start, end = match.span("number")
                    if self.NUMBER.fullmatch(text, start, end):
                        yield self.finding(start, end, self.score)
            at = lower.find("pas", at + 3)
