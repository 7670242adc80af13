"""Phone numbers: digit-run candidates checked against phonenumbers' numbering plans.

Every region of a configurable list is tried (default: the EU, the Nordics, GB and US);
the regions of the text's language come first and score higher, numbers valid only
abroad need grouping or a label. A window that is not one number is split at its
separators ("9-17 40253019") before PhoneNumberMatcher is asked about several numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import phonenumbers
import phonenumbers.re_util

from plugin.classify.detector import Detector
from plugin.classify.detectors.phone_numbering import national_rules, quick_validity
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding

# Candidate windows hold only digits and these separators (see CANDIDATE).
_NON_DIGITS = str.maketrans("", "", " -().\u00a0/+")
_GAP = re.compile(r"[\s/]")
_DIGITS_ONLY = str.maketrans("", "", "0123456789")
EU_REGIONS = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip
#: EU + GB + US + the Nordics outside the EU.
DEFAULT_REGIONS: tuple[str, ...] = ("DK", "GB", "US", *(r for r in EU_REGIONS if r != "DK"),
                                    "NO", "IS")  # fmt: skip
#: Regions whose national numbers a text in this language most likely holds.
HOME_REGIONS = {"da": ("DK",), "en": ("GB", "US", "IE")}


class PhoneDetector(Detector):
    """Phone numbers, Danish by default, international with a country code (contact)."""

    name = "phone"
    entity_type = "phone"
    category = "contact"
    base_score = 0.75

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
    # Where a window of several numbers is cut ("20 12 34 56 / 30 12 34 56", "… +45 …").
    SEVERAL_CUT: ClassVar[re.Pattern[str]] = re.compile(r"/| - |(?<=.)(?=\+)")
    GLUED_RUNS: ClassVar[re.Pattern[str]] = re.compile(r"\d{8,}\D+\d{8}")
    CPR_SHAPE: ClassVar[re.Pattern[str]] = re.compile(r"\d{6}-\d{4}")
    NOT_A_NUMBER: ClassVar[re.Pattern[str]] = re.compile(
        rf"(?:{DATE_LIKE.pattern}|{CPR_SHAPE.pattern})\Z|{ISO_DATE.pattern}"
    )
    GROUPED: ClassVar[re.Pattern[str]] = re.compile(r"[ \-().]")
    EXTENSION: ClassVar[re.Pattern[str]] = re.compile(r" ?(?:x|ext\.?|extn\.?) ?\d{1,5}(?!\d)")
    GROUP: ClassVar[re.Pattern[str]] = re.compile(r"\+?\d+")
    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["tlf", "tel", "telefon", "telefonnummer", "mobil", "mobilnummer", "mobilnr", "phone",
         "mobile", "cell", "call", "ring", "ringe", "sms", "fax", "whatsapp", "reached on",
         "kontaktes på", "my number", "mit nummer", "phone number"]
    )  # fmt: skip
    NEGATIVE: ClassVar[Phrases] = words_pattern(
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

    def __init__(
        self, base_score: float | None = None, regions: tuple[str, ...] | list[str] | None = None
    ) -> None:
        super().__init__(base_score)
        self.regions = tuple(r.upper() for r in (regions or DEFAULT_REGIONS))
        unknown = [r for r in self.regions if national_rules(r) is None]
        if unknown:
            raise ValueError(f"phone: unknown region(s) {', '.join(unknown)}")
        self._home = {
            lang: tuple(r for r in home if r in self.regions) for lang, home in HOME_REGIONS.items()
        }
        # Per language: its home regions first, then the rest of the list.
        self._ordered = {
            lang: (
                *(r for r in home if r in self.regions),
                *(r for r in self.regions if r not in home),
            )
            for lang, home in HOME_REGIONS.items()
        }
        # Keep phonenumbers' compiled metadata patterns: they otherwise fall out of the re
        # module's small cache and are recompiled on almost every validation.
        phonenumbers.re_util.enable_pattern_cache()

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield valid numbers; bare digit runs and foreign national numbers need context."""
        text = doc.text
        for candidate in self.in_digit_runs(doc, self.CANDIDATE, 7, before=4):
            window = candidate.group()
            if not self._plausible(window):
                continue
            offset = candidate.start()
            lang = doc.language_at(offset)
            regions = self._ordered.get(lang, self.regions)
            size = len(window)
            home_regions = self._home.get(lang, ())
            for start, end, region in self._matches(window, regions, home_regions):
                # The whole window was checked for date shapes already; a part was not.
                if (start or end != size) and self.DATE_LIKE.fullmatch(window, start, end):
                    continue
                start += offset
                end += offset
                extension = self.EXTENSION.match(text, end)
                if extension:
                    end = extension.end()
                home = region == "" or region in home_regions
                yield self._scored(doc, start, end, home, extension is not None)

    def _plausible(self, window: str) -> bool:
        """Rule out windows no numbering plan accepts before trying any region."""
        digits = len(window.translate(_NON_DIGITS))
        # No numbering plan is shorter or longer than this (E.164 allows 15 digits).
        if digits < 7 or (digits > 15 and " " not in window and "/" not in window):
            return False
        # Dates, CPR numbers and timestamps ("2024-09-26 07:12"), in one match.
        return not self.NOT_A_NUMBER.match(window)

    def _matches(
        self, window: str, regions: tuple[str, ...], home: tuple[str, ...]
    ) -> list[tuple[int, int, str]]:
        """(start, end, region) of the numbers in a window; region "" = international."""
        region = quick_validity(window, regions)
        if region is not None and (region == "" or region in home):
            return [(0, len(window), region)]
        # Not one home number: take the longest valid run of groups, left to right
        # ("9-17 40253019", "20 12 34 56 / 30 12 34 56"); a part valid at home beats the
        # whole window read as a foreign number.
        found = self._split(window, home) if home else []
        found = found or self._split(window, regions)
        if region is not None and not self._glued(window, found, home):
            return [(0, len(window), region)]
        if not found and self._several(window):
            # Numbers glued by other punctuation: phonenumbers' matcher, home regions only.
            for region in regions[:2]:
                matcher = phonenumbers.PhoneNumberMatcher(
                    window, region, leniency=phonenumbers.Leniency.VALID
                )
                found = [(m.start, m.end, region) for m in matcher]
                if found:
                    break
        return found

    def _several(self, window: str) -> bool:
        """Tell whether a window may hold two numbers: two pieces of at least 7 digits
        between "/", " - " or "+", or two glued runs of 8 digits (the matcher is slow,
        and a URL path such as "2005.09/20050919032951" holds no phone)."""
        if self.SEVERAL.search(window) is None:
            return False
        if self.GLUED_RUNS.search(window):
            return True
        pieces = self.SEVERAL_CUT.split(window)
        return sum(len(piece.translate(_NON_DIGITS)) >= 7 for piece in pieces) >= 2

    @staticmethod
    def _glued(window: str, found: list[tuple[int, int, str]], home: tuple[str, ...]) -> bool:
        """Tell whether a window is a home number glued to other digits ("9-17 40253019").

        It is when a part is valid at home and the rest is written differently (other
        separators than inside the part), unlike "06 76 45 42 22" read as a shorter number.
        """
        for start, end, region in found:
            if region != "" and region not in home:
                continue
            inside = set(window[start:end].translate(_DIGITS_ONLY))
            outside = set((window[:start] + window[end:]).translate(_DIGITS_ONLY))
            if not inside or not outside <= inside:
                return True
        return False

    def _split(self, window: str, regions: tuple[str, ...]) -> list[tuple[int, int, str]]:
        groups = [(m.start(), m.end()) for m in self.GROUP.finditer(window)][:12]
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(groups):
            for j in range(len(groups) - 1, i - 1, -1):
                if (i, j) == (0, len(groups) - 1):
                    continue  # the whole window, tried already
                start, end = groups[i][0], groups[j][1]
                # Split only where the writer left a gap: "08-975 809 30" is one number.
                if (i and not _GAP.search(window, groups[i - 1][1], start)) or (
                    j < len(groups) - 1 and not _GAP.search(window, end, groups[j + 1][0])
                ):
                    continue
                part = window[start:end]
                if len(part.translate(_NON_DIGITS)) < 7 or self.NOT_A_NUMBER.match(part):
                    continue
                region = quick_validity(part, regions)
                if region is not None:
                    found.append((start, end, region))
                    i = j
                    break
            i += 1
        return found

    def _scored(self, doc: Document, start: int, end: int, home: bool, extension: bool) -> Finding:
        raw = doc.text[start:end]
        score = self.score + (0.1 if extension else 0.0)
        international = raw.startswith(("+", "00"))
        if not international:
            # A national number valid only abroad is more likely some other identifier.
            if not home:
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
