"""Phone numbers: digit-run candidates confirmed by phonenumbers' PhoneNumberMatcher."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import phonenumbers

from plugin.classify.detector import Detector
from plugin.classify.document import Document, words_pattern
from plugin.classify.finding import Finding


class PhoneDetector(Detector):
    """Phone numbers, Danish by default, international with a country code (contact)."""

    name = "phone"
    entity_type = "phone"
    category = "contact"
    base_score = 0.75

    DEFAULT_REGION: ClassVar[str] = "DK"
    # English texts often carry British or US numbers written without a country code.
    EXTRA_REGIONS: ClassVar[dict[str, tuple[str, ...]]] = {"en": ("GB", "US")}
    # Running the matcher over a whole body is slow; it only sees digit-rich windows.
    CANDIDATE: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w+])(?:\+|00)?\(?\d[\d \-().\u00a0/]{5,22}\d(?!\d)"
    )
    # Dates and times are digit runs with separators too; phonenumbers accepts some of them.
    DATE_LIKE: ClassVar[re.Pattern[str]] = re.compile(
        r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    )
    CONTEXT: ClassVar[re.Pattern[str]] = words_pattern(
        ["tlf", "tel", "telefon", "telefonnummer", "mobil", "mobilnummer", "mobilnr", "phone",
         "mobile", "cell", "call", "ring", "ringe", "sms", "nummer", "number", "fax", "whatsapp"]
    )  # fmt: skip
    NEGATIVE: ClassVar[re.Pattern[str]] = words_pattern(
        ["ordre", "ordrenummer", "ordrenr", "order", "faktura", "fakturanummer", "invoice",
         "tracking", "sporing", "sporingsnummer", "pakke", "parcel", "kundenummer", "kundenr",
         "customer no", "sag", "sagsnummer", "case", "ticket", "ref", "reference", "cvr", "kr",
         "dkk", "eur", "usd", "serienummer", "serial", "id", "konto", "kontonr", "reg", "se-nr"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield valid numbers; bare digit runs without context score low."""
        regions = (self.DEFAULT_REGION, *self.EXTRA_REGIONS.get(doc.language, ()))
        text = doc.text
        for candidate in self.CANDIDATE.finditer(text):
            offset = candidate.start()
            window = candidate.group()
            if sum(c.isdigit() for c in window) < 7:
                continue
            for start, end in self._matches(window, regions):
                if self.DATE_LIKE.fullmatch(window[start:end]):
                    continue
                yield self._scored(doc, offset + start, offset + end)

    @staticmethod
    def _matches(window: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
        for region in regions:
            spans = [
                (m.start, m.end)
                for m in phonenumbers.PhoneNumberMatcher(
                    window, region, leniency=phonenumbers.Leniency.VALID
                )
            ]
            if spans:
                return spans
        return []

    def _scored(self, doc: Document, start: int, end: int) -> Finding:
        raw = doc.text[start:end]
        score = self.score
        international = raw.startswith(("+", "00"))
        grouped = any(c in raw for c in " -().")
        if not international and not grouped:
            score -= 0.2  # a bare digit run is as likely an order or customer number
        if doc.near(self.CONTEXT, start, end, before=30):
            score += 0.2
        elif doc.near(self.NEGATIVE, start, end, before=25, after=0):
            score -= 0.4
        return self.finding(start, end, score)
