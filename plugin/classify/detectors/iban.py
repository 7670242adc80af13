"""IBANs in any case, with or without grouping spaces, confirmed by python-stdnum (ISO 7064
check digits and each country's length and format)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum import iban

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding


class IbanDetector(Detector):
    """International bank account numbers (financial)."""

    name = "iban"
    entity_type = "iban"
    category = "financial"
    base_score = 0.95

    # Matched on an upper-cased copy of the candidate ("dk50 0040 ..." is an IBAN too).
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Z0-9])"
    )
    # Without spaces the pattern above can't tell where an IBAN stops; this one can try.
    GROUP: ClassVar[re.Pattern[str]] = re.compile(r" ?[A-Z0-9]{1,4}$")

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield the longest valid IBAN at each candidate."""
        text = doc.text
        # An IBAN's check digits are a digit run right after its two-letter country code.
        for start, _end, _digits in doc.digit_runs:
            if start < 2:
                continue
            country = text[start - 2 : start]
            if not (country.isascii() and country.isalpha()):
                continue
            begin = start - 2
            if begin and text[begin - 1].isalnum():
                continue
            match = self.PATTERN.match(text[begin : begin + 64].upper())
            if match is None:
                continue
            candidate = match.group()
            # Text after an IBAN ("DK50 0040 0440 1162 43 Tak") may be swallowed; trim it.
            while len(candidate) >= 15:
                if iban.is_valid(candidate):
                    yield self.finding(begin, begin + len(candidate), self.score)
                    break
                trimmed = self.GROUP.sub("", candidate)
                if trimmed == candidate:
                    break
                candidate = trimmed
