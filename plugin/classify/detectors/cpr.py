"""Danish CPR numbers: a valid birth date with the century table; modulus 11 adds weight."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum.dk import cpr
from stdnum.exceptions import ValidationError

from plugin.classify.detector import Detector
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding


class CprDetector(Detector):
    """Danish personal identification numbers (identity)."""

    name = "cpr"
    entity_type = "cpr"
    category = "identity"
    base_score = 0.6

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\d-])(\d{6})([- ]?)(\d{4})(?![\d-])")
    DIGITS: ClassVar[int] = 10
    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["cpr", "cpr-nr", "cpr-nummer", "cprnr", "cpr.nr", "personnummer", "personnr",
         "cpr nummer", "personal id", "civil registration", "social security", "ssn"]
    )  # fmt: skip
    NEGATIVE: ClassVar[Phrases] = words_pattern(
        ["ordre", "ordrenummer", "order", "faktura", "invoice", "tracking", "sporing",
         "telefon", "tlf", "phone", "mobil", "kundenummer", "ref", "sagsnummer", "konto"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield numbers whose first six digits are a real birth date."""
        for match in self.in_digit_runs(doc, self.PATTERN, self.DIGITS):
            digits = match.group(1) + match.group(3)
            # Most ten-digit runs are order numbers: a day and month in range come first.
            if not ("01" <= digits[:2] <= "31" and "01" <= digits[2:4] <= "12"):
                continue
            try:
                cpr.get_birth_date(digits)
            except ValidationError:
                continue
            start, end = match.span()
            # Numbers without a valid check digit are issued since 2007, so it only adds.
            score = self.score if match.group(2) == "-" else self.score - 0.25
            if cpr.checksum(digits) == 0:
                score += 0.2
            if doc.near(self.CONTEXT, start, end, before=40):
                score += 0.3
            elif doc.near(self.NEGATIVE, start, end, before=25, after=0):
                score -= 0.4
            yield self.finding(start, end, score)
