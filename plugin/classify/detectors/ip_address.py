"""IP addresses (v4 and v6) whose candidates the ipaddress module accepts."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding


class IpAddressDetector(Detector):
    """IPv4 and IPv6 addresses (online)."""

    name = "ip_address"
    entity_type = "ip_address"
    category = "online"
    base_score = 0.85

    V4: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\w)")
    V6: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){2,7}"
        r"(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)"
    )
    # Any IPv6 address has two colons around a group of at most four hex digits; the
    # leading literal colon lets the scan skip ahead quickly.
    V6_HINT: ClassVar[re.Pattern[str]] = re.compile(r":[0-9A-Fa-f]{0,4}:")
    # Version strings look like addresses ("version 1.2.3.4"); they say so just before.
    NEGATIVE: ClassVar[Phrases] = words_pattern(
        ["version", "versionsnummer", "ver", "v", "build", "release", "firmware", "app-version"]
    )

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield syntactically valid addresses."""
        text = doc.text
        for match in self.in_digit_runs(doc, self.V4, 4, before=1, after=2, dots=3):
            if self._valid(match.group(), ipaddress.IPv4Address):
                yield self._scored(doc, *match.span())
        resume = 0
        size = len(text)
        # Only the neighbourhood of "::" or "h:h:h:" can hold an IPv6 address.
        for hint in self.V6_HINT.finditer(text):
            if hint.end() <= resume:
                continue
            start = max(resume, hint.start() - 40)
            match = self.V6.search(text, start, min(size, hint.end() + 48))
            if match is None or match.end() <= resume:
                continue
            resume = match.end()
            value = match.group()
            if any(c.isalnum() for c in value) and self._valid(value, ipaddress.IPv6Address):
                yield self._scored(doc, *match.span())

    @staticmethod
    def _valid(value: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
        try:
            kind(value)
        except ValueError:
            return False
        return True

    def _scored(self, doc: Document, start: int, end: int) -> Finding:
        score = self.score
        if doc.near(self.NEGATIVE, start, end, before=15, after=0):
            score -= 0.5
        return self.finding(start, end, score)
