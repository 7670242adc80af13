"""E-mail addresses: a permissive pattern confirmed by email-validator's syntax check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from email_validator import EmailNotValidError, validate_email

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding


class EmailDetector(Detector):
    """E-mail addresses (contact)."""

    name = "email"
    entity_type = "email"
    category = "contact"
    base_score = 0.95

    # The look-behind makes a failed attempt cheap: only a local part's first character
    # starts a match, so the scan stays linear on long bodies.
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w.%+'-])[\w%+'-](?:[\w.%+'-]{0,63})@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,24}(?![\w-])"
    )

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield addresses that pass the syntax check (no DNS lookups)."""
        text = doc.text
        resume = 0
        at = text.find("@")
        while at >= 0:
            # Only the neighbourhood of an "@" can hold an address; skip the rest unread.
            match = self.PATTERN.search(text, max(resume, at - 70), at + 260)
            at = text.find("@", at + 1)
            if match is None:
                continue
            resume = match.end()
            while 0 <= at < resume:
                at = text.find("@", at + 1)
            start, end = match.span()
            candidate = match.group()
            # A sentence-ending dot is not part of the address.
            while candidate.endswith("."):
                candidate = candidate[:-1]
                end -= 1
            if self.validate(candidate):
                yield self.finding(start, end, self.score)

    @staticmethod
    def validate(candidate: str) -> bool:
        """Tell whether ``candidate`` is a syntactically valid address."""
        try:
            validate_email(candidate, check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            return False
        return True
