"""Postal addresses: a postcode anchor (Danish, UK, US) confirmed by a street line before it,
or a street line of the grammar in street_grammar.py, with or without a postcode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.detectors.street_grammar import ENGLISH, NORDIC, NORDIC_ENDINGS, hints
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding

_UP = "A-ZÆØÅÄÖÜÉ"
_LOW = "a-zæøåäöüéèáíóú"
_TOK = rf"(?:[{_UP}][{_LOW}{_UP}'’-]*\.?|[{_UP}]\.(?:[{_UP}]\.)+)"
# Town names: "Kgs. Lyngby" keeps its dot, a sentence's full stop after "København N" does not.
_TOWN = rf"(?:[{_UP}][{_LOW}'-]+|[{_UP}][{_LOW}]+\.(?= [{_UP}]))"
_DA_STREET_WORD = (
    r"(?:Vej|Gade|All[ée]|Boulevard|Plads|Torv|Stræde|Vænge|Park|Have|Bakke|Vang|Sti|Kaj|"
    r"Bro|Passage|Gård|Hegn|Tværvej|Landevej|Engvej|Skov|Høj|Vænget|Parken)"
)
_US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR".split()
)


class PostalAddressDetector(Detector):
    """Street addresses with a postcode (location)."""

    name = "postal_address"
    entity_type = "postal_address"
    category = "location"
    base_score = 0.9

    # Anchors are cheap to find in a long body; the street line is then checked backwards.
    DA_ANCHOR: ClassVar[re.Pattern[str]] = re.compile(
        rf"(?<![\w-])(?:DK-?)?[1-9]\d{{3}} {_TOWN}(?: {_TOWN})?"
        rf"(?: (?:[NSVØCK]|Sj|SV|NV|F|M))?(?!\w)"
    )
    DA_STREET: ClassVar[re.Pattern[str]] = re.compile(
        rf"(?:(?:{_TOK} ){{1,3}}{_DA_STREET_WORD}|{_TOK}) \d{{1,4}}(?: ?[A-Za-z])?"
        r"(?:,? (?:st|kl|sal|\d{1,2})\.(?: ?(?:tv|th|mf|sal|\d{1,3})\.?)?)?(?:,\s*|\s+)\Z"
    )
    # The look-behind follows the first letter so the scan can jump between capitals.
    UK_ANCHOR: ClassVar[re.Pattern[str]] = re.compile(
        r"[A-Z](?<![\w-][A-Z])[A-Z]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?!\w)"
    )
    US_ANCHOR: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w-])([A-Z]{2}) \d{5}(?:-\d{4})?(?!\w)"
    )
    EN_STREET: ClassVar[re.Pattern[str]] = re.compile(
        rf"(?<![\w-])\d{{1,5}}[A-Za-z]? {_TOK}(?: {_TOK}){{0,3}}"
        rf"(?: (?:Apt|Apartment|Suite|Ste|Unit|Flat)\.? ?\w{{1,5}})?"
        rf"(?:,?\s+{_TOK}(?: {_TOK}){{0,2}})?,?\s+\Z"
    )
    WINDOW: ClassVar[int] = 90
    STREET_SCORE: ClassVar[float] = 0.65
    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["adresse", "address", "bor på", "bor i", "sendes til", "send til", "leveres til",
         "leveringsadresse", "deliver to", "moving to", "moved to", "live at", "lives at",
         "new address", "ny adresse", "flyttet til", "sende varen til"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield address spans from the street line to the end of the postcode or town."""
        text = doc.text
        # Danish postcodes are four-digit runs and ZIP codes five (or 5+4) digit runs.
        for anchor in self.in_digit_runs(doc, self.DA_ANCHOR, 4, 4, before=3, after=40):
            yield from self._backwards(doc, anchor.start(), anchor.end(), self.DA_STREET)
        for anchor in self.UK_ANCHOR.finditer(text):
            yield from self._backwards(doc, anchor.start(), anchor.end(), self.EN_STREET)
        for anchor in self.in_digit_runs(doc, self.US_ANCHOR, 5, 9, before=3, after=2):
            if anchor.group(1) in _US_STATES:
                yield from self._backwards(doc, anchor.start(), anchor.end(), self.EN_STREET)
        for grammar, spots in hints(doc):
            last_end = 0
            for hint_start, hint_end in spots:
                if hint_start < last_end:
                    continue
                if grammar is NORDIC and not doc.lower.endswith(
                    NORDIC_ENDINGS, max(0, hint_start - 20), hint_start + 1
                ):
                    continue
                # The street line starts at most a few words before the hint.
                window = max(last_end, hint_start - 60)
                for match in grammar.finditer(text, window, hint_end + 70):
                    if match.end() <= hint_start or match.start() > hint_end:
                        continue
                    start, end = match.span()
                    last_end = end
                    value = match.group()
                    # A postcode or a label makes a street line an address for sure.
                    score = self.STREET_SCORE
                    if any(c.isdigit() for c in value[-12:]) and grammar is not ENGLISH:
                        score += 0.1
                    if doc.near(self.CONTEXT, start, end, before=30, after=0):
                        score += 0.15
                    yield self.finding(start, end, score)
                    break

    def _backwards(
        self, doc: Document, start: int, end: int, street: re.Pattern[str]
    ) -> Iterator[Finding]:
        window_start = max(0, start - self.WINDOW)
        match = street.search(doc.text, window_start, start)
        if match is not None:
            yield self.finding(match.start(), end, self.score)
