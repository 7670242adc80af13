"""Payment card numbers: Luhn-valid (python-stdnum), a known issuer range and length,
optional spaces or dashes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum import luhn

from plugin.classify.detector import Detector
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding

# Issuer identification ranges: (first digits low, high, allowed lengths, scheme), from
# the schemes' published IIN tables (Diners/Discover, Amex, JCB, UnionPay, Maestro, Mir).
_RANGES: tuple[tuple[str, str, tuple[int, ...], str], ...] = (
    ("5019", "5019", (16,), "dankort"),
    ("4571", "4571", (16,), "dankort"),
    ("4", "4", (13, 16, 19), "visa"),
    ("51", "55", (16,), "mastercard"),
    ("2221", "2720", (16,), "mastercard"),
    ("34", "34", (15,), "amex"),
    ("37", "37", (15,), "amex"),
    ("300", "305", (14, 16, 17, 18, 19), "diners"),
    ("3095", "3095", (14, 16, 17, 18, 19), "diners"),
    ("36", "36", (14, 16, 17, 18, 19), "diners"),
    ("38", "39", (14, 16, 17, 18, 19), "diners"),
    ("6011", "6011", (16, 17, 18, 19), "discover"),
    ("644", "649", (16, 17, 18, 19), "discover"),
    ("65", "65", (16, 17, 18, 19), "discover"),
    ("3528", "3589", (16, 17, 18, 19), "jcb"),
    ("2131", "2131", (15,), "jcb"),
    ("1800", "1800", (15,), "jcb"),
    ("62", "62", (16, 17, 18, 19), "unionpay"),
    ("2200", "2204", (16, 17, 18, 19), "mir"),
    ("50", "50", tuple(range(12, 20)), "maestro"),
    ("0604", "0604", tuple(range(12, 20)), "maestro"),
    ("56", "69", tuple(range(12, 20)), "maestro"),
)


def issuer(digits: str) -> str | None:
    """Name the card scheme of a number from its prefix and length, if known."""
    n = len(digits)
    for low, high, lengths, scheme in _RANGES:
        # Equal-length digit strings compare like the numbers they spell.
        if n in lengths and low <= digits[: len(low)] <= high:
            return scheme
    return None


class PaymentCardDetector(Detector):
    """Credit and debit card numbers (financial)."""

    name = "payment_card"
    entity_type = "payment_card"
    category = "financial"
    base_score = 0.8

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])")
    # Separators at a scheme's own grouping: 4-4-4-4(-3), Amex/Diners 4-6-5 / 4-6-4.
    GROUPING: ClassVar[re.Pattern[str]] = re.compile(
        r"\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,7})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19}"
    )
    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["kort", "kortnummer", "kreditkort", "betalingskort", "dankort", "visa", "mastercard",
         "amex", "card", "credit card", "debit card", "card number", "kortet", "maestro"]
    )  # fmt: skip
    NEGATIVE: ClassVar[Phrases] = words_pattern(
        ["ordre", "ordrenummer", "order", "faktura", "invoice", "tracking", "sporing",
         "sporingsnummer", "pakke", "parcel", "shipment", "forsendelse", "ean", "gln", "sscc"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield Luhn-valid numbers from known issuers, grouped consistently."""
        for match in self.in_digit_runs(doc, self.PATTERN, 12):
            raw = match.group()
            # Mixed separators ("1234 5678-...") are not how anyone writes a card number.
            if " " in raw and "-" in raw or not self.GROUPING.fullmatch(raw):
                continue
            digits = raw.replace(" ", "").replace("-", "")
            # The prefix table is cheaper than the Luhn sum and rules out most runs.
            if issuer(digits) is None or luhn.checksum(digits) != 0:
                continue
            start, end = match.span()
            score = self.score
            if doc.near(self.CONTEXT, start, end, before=40):
                score += 0.15
            elif doc.near(self.NEGATIVE, start, end, before=30, after=0):
                score -= 0.5
            yield self.finding(start, end, score)
