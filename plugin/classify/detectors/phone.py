"""Phone numbers: digit-run candidates confirmed by phonenumbers' PhoneNumberMatcher."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import phonenumbers

from plugin.classify.detector import Detector
from plugin.classify.document import Document, words_pattern
from plugin.classify.finding import Finding

_NOT_DIGITS = str.maketrans("", "", " -().\u00a0/+")


class PhoneDetector(Detector):
    """Phone numbers, Danish by default, international with a country code (contact)."""

    name = "phone"
    entity_type = "phone"
    category = "contact"
    base_score = 0.75

    DEFAULT_REGION: ClassVar[str] = "DK"
    # English texts often carry British or US numbers written without a country code.
    EXTRA_REGIONS: ClassVar[dict[str, tuple[str, ...]]] = {"en": ("GB", "US", "DK")}
    # Running the matcher over a whole body is slow; it only sees digit-rich windows.
    CANDIDATE: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w+])(?:\+|00)?\(?\d[\d \-().\u00a0/]{5,22}\d(?!\d)"
    )
    # Dates and times are digit runs with separators too; phonenumbers accepts some of them.
    DATE_LIKE: ClassVar[re.Pattern[str]] = re.compile(
        r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
        r"|(?:\d{1,3}\.){3}\d{1,3}"
    )
    ISO_DATE: ClassVar[re.Pattern[str]] = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")
    # "2024-1362" is how invoices and bookings are numbered by year, not how phones are written.
    YEAR_SERIAL: ClassVar[re.Pattern[str]] = re.compile(r"(?:19|20)\d\d-\d{3,6}")
    CPR_SHAPE: ClassVar[re.Pattern[str]] = re.compile(r"\d{6}-\d{4}")
    CONTEXT: ClassVar[re.Pattern[str]] = words_pattern(
        ["tlf", "tel", "telefon", "telefonnummer", "mobil", "mobilnummer", "mobilnr", "phone",
         "mobile", "cell", "call", "ring", "ringe", "sms", "fax", "whatsapp", "reached on",
         "kontaktes på", "my number", "mit nummer", "phone number"]
    )  # fmt: skip
    NEGATIVE: ClassVar[re.Pattern[str]] = words_pattern(
        ["ordre", "ordrenummer", "ordrenr", "order", "faktura", "fakturanummer", "invoice",
         "tracking", "sporing", "sporingsnummer", "pakke", "parcel", "kundenummer", "kundenr",
         "customer no", "sag", "sagsnummer", "case", "ticket", "ref", "reference", "cvr", "kr",
         "dkk", "eur", "usd", "serienummer", "serial", "id", "konto", "kontonr", "reg", "se-nr",
         "booking", "bestilling", "bestillingsnr", "bestillingsnummer", "produkt", "produktet",
         "product", "varenummer", "vare", "item", "sku", "transaction", "transaktion", "po"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield valid numbers; bare digit runs without context score low."""
        for candidate in self.in_digit_runs(doc, self.CANDIDATE, 7, before=4):
            window = candidate.group()
            regions = self._regions(window, doc, candidate.start())
            if not regions:
                continue
            offset = candidate.start()
            for start, end in self._matches(window, regions):
                if not self.DATE_LIKE.fullmatch(window[start:end]):
                    yield self._scored(doc, offset + start, offset + end)

    def _regions(self, window: str, doc: Document, position: int) -> tuple[str, ...]:
        """Pick the regions worth asking the (slow) matcher about, or none at all."""
        digits = sum(c.isdigit() for c in window)
        # No numbering plan is shorter or longer than this (E.164 allows 15 digits).
        if digits < 7 or (digits > 15 and "/" not in window):
            return ()
        if self.DATE_LIKE.fullmatch(window) or self.CPR_SHAPE.fullmatch(window):
            return ()
        if self.ISO_DATE.match(window):  # "2024-09-26 07:12" is a timestamp
            return ()
        if window.startswith(("+", "00")) or digits == 8 or digits not in (10, 11):
            return (self.DEFAULT_REGION,)
        if doc.language_at(position) != "en":
            return (self.DEFAULT_REGION,)
        # National British and US numbers have 10 or 11 digits; Danish ones have 8.
        return self.EXTRA_REGIONS["en"]

    @staticmethod
    def _danish(window: str) -> bool | None:
        """Validate a plain Danish number without parsing; None when it is not that shape."""
        digits = window.translate(_NOT_DIGITS)
        if window.startswith("+45"):
            digits = digits[2:]
        elif window.startswith("0045"):
            digits = digits[4:]
        elif window.startswith(("+", "00")):
            return None
        if len(digits) != 8 or not digits.isdigit():
            return None
        number = phonenumbers.PhoneNumber(country_code=45, national_number=int(digits))
        return phonenumbers.is_valid_number(number)

    @classmethod
    def _matches(cls, window: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
        if regions[0] == "DK":
            # Most numbers in Danish tickets are eight digits; skip the general parser.
            danish = cls._danish(window)
            if danish is not None and (danish or len(regions) == 1):
                return [(0, len(window))] if danish else []
        for region in regions:
            # Fast path: most windows are exactly one number, and one parse settles that.
            try:
                number = phonenumbers.parse(window, region)
            except phonenumbers.NumberParseException:
                number = None
            if number is not None and phonenumbers.is_valid_number(number):
                return [(0, len(window))]
        if sum(c.isdigit() for c in window) < 11:
            return []  # too short to hold a number plus something else
        # Longer windows may hold several numbers or a number and other digits.
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
        if self.YEAR_SERIAL.fullmatch(raw):
            score -= 0.3
        if doc.near(self.CONTEXT, start, end, before=30):
            score += 0.2
        elif doc.near(self.NEGATIVE, start, end, before=25, after=0):
            score -= 0.4
        return self.finding(start, end, score)
