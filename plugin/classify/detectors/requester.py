"""The requester's own name and e-mail (passed as hints), wherever they occur."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding


class RequesterDetector(Detector):
    """Known names and e-mails of the person the ticket is about (identity, contact)."""

    name = "requester"
    entity_type = "person_name"
    category = "identity"
    base_score = 0.95
    PART_SCORE = 0.85

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield occurrences of the hinted full names, their parts and e-mails."""
        hints = doc.hints
        if not hints:
            return
        for email in hints.emails:
            pattern = re.compile(rf"(?<![\w.+-]){re.escape(email)}(?![\w-])", re.IGNORECASE)
            for match in pattern.finditer(doc.text):
                yield self.finding(*match.span(), 1.0, "email", "contact")
        for full in hints.names:
            yield from self._name(doc, full)

    def _name(self, doc: Document, full: str) -> Iterator[Finding]:
        parts = [p for p in re.split(r"\s+", full) if len(p) >= 2]
        if not parts:
            return
        # Longest alternatives first so "Jens Hansen" wins over "Jens" at the same spot.
        alternatives = [r"\s+".join(re.escape(p) for p in parts)]
        alternatives += [re.escape(p) for p in sorted(set(parts), key=len, reverse=True)]
        # The name must be capitalised as written: "per" the word is not "Per" the person.
        pattern = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")
        for match in pattern.finditer(doc.text):
            is_full = len(parts) > 1 and " " in match.group().strip()
            yield self.finding(*match.span(), self.score if is_full else self.PART_SCORE)
