"""Phone numbers: digit-run candidates confirmed by phonenumbers' PhoneNumberMatcher."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import phonenumbers
import phonenumbers.re_util

from plugin.classify.detector import Detector
from plugin.classify.detectors.phone_numbering import quick_validity
from plugin.classify.document import Document, words_pattern
from plugin.classify.finding import Finding

# Candidate windows hold only digits and these separators (see CANDIDATE).
_NON_DIGITS = str.maketrans("", "", " -().\u00a0/+")


class PhoneDetector(Detector):
    """Phone numbers, Danish by default, international with a country code (contact)."""

    name = "phone"
    entity_type = "phone"
    category = "contact"
    base_score = 0.75

    DEFAULT_REGION: ClassVar[str] = "DK"
    # British and US numbers are often written without a country code (national format).
    FOREIGN_REGIONS: ClassVar[tuple[str, ...]] = ("GB", "US", "DK")
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
    SEVERAL: ClassVar[re.Pattern[str]] = re.compile(r"/| - |.\+|\d{8,}\D+\d{8}")
    CPR_SHAPE: ClassVar[re.Pattern[str]] = re.compile(r"\d{6}-\d{4}")
    NOT_A_NUMBER: ClassVar[re.Pattern[str]] = re.compile(
        rf"(?:{DATE_LIKE.pattern}|{CPR_SHAPE.pattern})\Z|{ISO_DATE.pattern}"
    )
    GROUPED: ClassVar[re.Pattern[str]] = re.compile(r"[ \-().]")
    CONTEXT: ClassVar[re.Pattern[str]] = words_pattern(
        ["tlf", "tel", "telefon", "telefonnummer", "mobil", "mobilnummer", "mobilnr", "phone",
         "mobile", "cell", "call", "ring", "ringe", "sms", "fax", "whatsapp", "reached on",
         "kontaktes på", "my number", "mit nummer", "phone number"]
    )  # fmt: skip
    NEGATIVE: ClassVar[re.Pattern[str]] = words_pattern(
        ["ordre", "ordrenummer", "ordrenummeret", "ordrenr", "order", "order no", "order number",
         "faktura", "fakturanummer", "invoice", "tracking", "sporing", "sporingsnummer", "pakke",
         "parcel", "kundenummer", "kundenr", "customer no", "sag", "sagsnummer", "case",
         "ticket", "ref", "reference", "cvr", "kr", "dkk", "eur", "usd", "serienummer",
         "serial", "id", "konto", "kontonr", "reg", "se-nr", "booking", "bestilling",
         "bestillingsnr", "bestillingsnummer", "produkt", "produktet", "product", "varenummer",
         "vare", "item", "sku", "transaction", "transaktion", "po",
         # One-time and access codes are eight digits as often as Danish phone numbers.
         "kode", "koden", "koder", "kodeord", "aktiveringskode", "aktiveringskoden",
         "engangskode", "engangskoden", "bekræftelseskode", "bekræftelseskoden", "pinkoden",
         "verifikationskode", "adgangskode", "pinkode", "pin", "pin-kode",
         "code", "activation code", "verification code", "confirmation code", "one-time code",
         "security code", "access code", "passcode", "password", "voucher", "gavekort",
         "rabatkode", "discount code", "promo code", "licens", "license", "licence"]
    )  # fmt: skip

    def __init__(self, base_score: float | None = None) -> None:
        super().__init__(base_score)
        # Keep phonenumbers' compiled metadata patterns: they otherwise fall out of the re
        # module's small cache and are recompiled on almost every validation.
        phonenumbers.re_util.enable_pattern_cache()

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield valid numbers; bare digit runs without context score low."""
        for candidate in self.in_digit_runs(doc, self.CANDIDATE, 7, before=4):
            window = candidate.group()
            regions = self._regions(window)
            if not regions:
                continue
            offset = candidate.start()
            size = len(window)
            for start, end in self._matches(window, regions):
                # The whole window was checked for date shapes already; a part was not.
                if (start or end != size) and self.DATE_LIKE.fullmatch(window, start, end):
                    continue
                yield self._scored(doc, offset + start, offset + end)

    def _regions(self, window: str) -> tuple[str, ...]:
        """Pick the regions worth asking the (slow) matcher about, or none at all."""
        digits = len(window.translate(_NON_DIGITS))
        # No numbering plan is shorter or longer than this (E.164 allows 15 digits).
        if digits < 7 or (digits > 15 and "/" not in window):
            return ()
        # Dates, CPR numbers and timestamps ("2024-09-26 07:12"), in one match.
        if self.NOT_A_NUMBER.match(window):
            return ()
        if digits == 8 or digits not in (10, 11) or window.startswith(("+", "00")):
            return (self.DEFAULT_REGION,)
        # National British and US numbers have 10 or 11 digits; Danish ones have 8.
        return self.FOREIGN_REGIONS

    @classmethod
    def _matches(cls, window: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
        for region in regions:
            # Most windows are exactly one number; settling that is cheap without parsing.
            valid = quick_validity(window, region)
            if valid is None:
                valid = cls._parsed_valid(window, region)
            if valid:
                return [(0, len(window))]
        if not cls.SEVERAL.search(window):
            return []  # one number that is not valid; the matcher would say the same, slowly
        # Windows such as "20 12 34 56 / 30 12 34 56" hold several numbers: the matcher
        # finds each of them.
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

    @staticmethod
    def _parsed_valid(window: str, region: str) -> bool:
        try:
            number = phonenumbers.parse(window, region)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(number))

    def _scored(self, doc: Document, start: int, end: int) -> Finding:
        raw = doc.text[start:end]
        score = self.score
        international = raw.startswith(("+", "00"))
        if not international:
            digits = len(raw.translate(_NON_DIGITS))
            # A foreign national number in Danish text is more likely some other identifier.
            if digits in (10, 11) and doc.language_at(start) != "en":
                score -= 0.15
            if self.GROUPED.search(raw) is None:
                score -= 0.2  # a bare digit run is as likely an order or customer number
            if "-" in raw and self.YEAR_SERIAL.fullmatch(raw):
                score -= 0.3
        # The label nearest before the number decides ("SMS-kode: 48213377" is a code);
        # a number written with its country code is a phone whatever the words around it.
        label = doc.last(self.CONTEXT, start, 30)
        negative = -1 if international else doc.last(self.NEGATIVE, start, 25)
        if negative > label:
            score -= 0.4
        elif label >= 0 or doc.near(self.CONTEXT, start, end, before=0):
            score += 0.2
        return self.finding(start, end, score)
