"""Danish CVR company numbers: modulus-11 valid and named as CVR (or DK VAT) nearby."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum.dk import cvr

from plugin.classify.detector import Detector
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding


class CvrDetector(Detector):
    """Danish business registration numbers (identity; sole traders' CVR is personal)."""

    name = "cvr"
    entity_type = "cvr"
    category = "identity"
    base_score = 0.45

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w-])(DK[ -]?)?(\d{2} ?\d{2} ?\d{2} ?\d{2})(?![\w-])"
    )
    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["cvr", "cvr-nr", "cvr-nummer", "cvrnr", "cvr.nr", "se-nr", "moms", "momsnummer",
         "vat", "vat no", "company number", "virksomhed", "firma", "enkeltmandsvirksomhed"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield checksum-valid eight-digit numbers with CVR context (or a DK prefix)."""
        for match in self.in_digit_runs(doc, self.PATTERN, 8):
            digits = match.group(2).replace(" ", "")
            # The pattern guarantees eight digits: stdnum's checksum without its cleaning.
            if digits[0] == "0" or cvr.checksum(digits) != 0:
                continue
            start, end = match.span()
            score = self.score
            if match.group(1):
                score += 0.35
            if doc.near(self.CONTEXT, start, end, before=30, after=0):
                score += 0.45
            yield self.finding(start, end, score)
