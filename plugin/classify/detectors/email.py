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

    # The local part right before an "@": matching there avoids re-scanning a window.
    LOCAL_RUN: ClassVar[re.Pattern[str]] = re.compile(r"[\w.%+'-]{1,64}\Z")
    # Reserved names that are never real mail domains (RFC 6761), as email-validator rejects.
    SPECIAL_USE: ClassVar[frozenset[str]] = frozenset(
        {"arpa", "invalid", "local", "localhost", "onion", "internal"}
    )

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield addresses that pass the syntax check (no DNS lookups)."""
        text = doc.text
        resume = floor = 0
        at = text.find("@")
        while at >= 0:
            # Only the neighbourhood of an "@" can hold an address; skip the rest unread.
            # A local part never contains "@", so the search starts after the previous one.
            local = self.LOCAL_RUN.search(text, max(resume, floor, at - 64), at)
            floor = at + 1
            at = text.find("@", at + 1)
            if local is None:
                continue
            start = local.start()
            while text[start] == ".":  # a local part does not start with a dot
                start += 1
            match = self.PATTERN.match(text, start, floor + 260)
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

    @classmethod
    def validate(cls, candidate: str) -> bool:
        """Tell whether ``candidate`` is a syntactically valid address."""
        if candidate.isascii():
            # Plain ASCII addresses need only these checks (email-validator's, minus its
            # per-call overhead); internationalised ones go through the full validator.
            local, _, domain = candidate.rpartition("@")
            labels = domain.split(".")
            return (
                len(local) <= 64
                and ".." not in candidate
                and not local.startswith(".")
                and not local.endswith(".")
                and len(domain) <= 253
                and all(0 < len(x) <= 63 and x[0] != "-" and x[-1] != "-" for x in labels)
                and labels[-1] not in cls.SPECIAL_USE
            )
        try:
            validate_email(candidate, check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            return False
        return True
