"""Danish bank account numbers: a 4-digit reg. nr. and an account number of up to 10 digits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding


class BankAccountDetector(Detector):
    """Reg. nr. + konto nr. ("1234 0012345678", "reg. 1234 konto 12345678") (financial)."""

    name = "bank_account"
    entity_type = "bank_account"
    category = "financial"
    base_score = 0.85

    # Written as one number: the reg. nr., a space or dash, the account number.
    JOINED: ClassVar[re.Pattern[str]] = re.compile(r"\d{4}(?: ?- ?| {1,2}|/)\d{6,10}")
    # Written apart: a spaced dash, or a label between the parts ("1234, kontonr. 0012345678").
    BETWEEN: ClassVar[re.Pattern[str]] = re.compile(
        r"\s*[-/]\s*|[,;]?\s*(?:og |and )?(?P<label>(?:bank)?(?:konto|kontonummer|kontonr|"
        r"account|acct))(?:\.|\s*(?:-?nr|nummer|number|no)\.?)?\s*[:.]?\s*",
        re.IGNORECASE,
    )
    # Without any of these words nearby a 4+10 digit number is just as likely a reference.
    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["reg", "reg.nr", "reg. nr", "regnr", "reg.-nr", "reg-nr", "registreringsnummer",
         "konto", "kontonr", "kontonummer", "kontonummeret", "bankkonto", "bankkontonummer",
         "account", "account number", "account no", "bank account", "sort code"]
    )  # fmt: skip
    WINDOW: ClassVar[int] = 40

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield reg.+account numbers announced by bank-account words."""
        text = doc.text
        runs = doc.digit_runs
        for index, (start, end, digits) in enumerate(runs):
            if 10 <= digits <= 14:
                if self.JOINED.fullmatch(text, start, end) and self._context(doc, start, end):
                    yield self.finding(start, end, self.score)
            elif digits == 4 and index + 1 < len(runs):
                following, following_end, following_digits = runs[index + 1]
                if not 6 <= following_digits <= 10 or following - end > self.WINDOW:
                    continue
                if following_end - following != following_digits:
                    continue  # the account number itself is written without separators
                between = self.BETWEEN.fullmatch(text, end, following)
                # A label between the parts is context enough; a bare dash needs words.
                if between is not None and (
                    between.group("label") or self._context(doc, start, end)
                ):
                    yield self.finding(start, following_end, self.score)

    def _context(self, doc: Document, start: int, end: int) -> bool:
        return doc.near(self.CONTEXT, start, end, before=self.WINDOW, after=0)
