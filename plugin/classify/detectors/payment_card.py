"""Payment card numbers: Luhn-valid, a known issuer prefix, optional spaces or dashes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum import luhn

from plugin.classify.detector import Detector
from plugin.classify.document import Document, words_pattern
from plugin.classify.finding import Finding


def issuer(digits: str) -> str | None:
    """Name the card scheme of a number from its prefix and length, if known."""
    n = len(digits)
    if digits.startswith(("5019", "4571")) and n == 16:
        return "dankort"
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720):
        return "mastercard"
    if digits[:2] in ("34", "37") and n == 15:
        return "amex"
    if (digits.startswith(("6011", "65")) or 644 <= int(digits[:3]) <= 649) and n == 16:
        return "discover"
    if 3528 <= int(digits[:4]) <= 3589 and n == 16:
        return "jcb"
    if digits.startswith(("50", "56", "57", "58", "6")) and 12 <= n <= 19:
        return "maestro"
    return None


class PaymentCardDetector(Detector):
    """Credit and debit card numbers (financial)."""

    name = "payment_card"
    entity_type = "payment_card"
    category = "financial"
    base_score = 0.8

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])")
    CONTEXT: ClassVar[re.Pattern[str]] = words_pattern(
        ["kort", "kortnummer", "kreditkort", "betalingskort", "dankort", "visa", "mastercard",
         "amex", "card", "credit card", "debit card", "card number", "kortet", "maestro"]
    )  # fmt: skip
    NEGATIVE: ClassVar[re.Pattern[str]] = words_pattern(
        ["ordre", "ordrenummer", "order", "faktura", "invoice", "tracking", "sporing",
         "sporingsnummer", "pakke", "parcel", "shipment", "forsendelse", "ean", "gln", "sscc"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield Luhn-valid numbers from known issuers, grouped consistently."""
        for match in self.in_digit_runs(doc, self.PATTERN, 12):
            raw = match.group()
            # Mixed separators ("1234 5678-...") are not how anyone writes a card number.
            if " " in raw and "-" in raw:
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
