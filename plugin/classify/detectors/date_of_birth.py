"""Dates of birth: a real calendar date announced as a birth date just before it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding
from plugin.classify.lexicon import PhraseFinder

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january", "jan"),
            ("februar", "february", "feb"),
            ("marts", "march", "mar"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


class DateOfBirthDetector(Detector):
    """Birth dates (identity); other dates (orders, deliveries) are not personal data here."""

    name = "date_of_birth"
    entity_type = "date_of_birth"
    category = "identity"
    base_score = 0.85

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"(?<![\w.-])(?:"
        r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4}|\d{2})"
        r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
        rf"|(?P<td>\d{{1,2}})\.? (?:of )?(?P<tm>{_MONTH})\.?,? (?P<ty>\d{{4}})"
        rf"|(?P<um>{_MONTH})\.? (?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<uy>\d{{4}})"
        r")(?![\w-]|\.\d)",
        re.IGNORECASE,
    )
    # Birth context comes first in the text, so it is searched first (few hits, cheap).
    CONTEXT: ClassVar[PhraseFinder] = PhraseFinder(
        dict.fromkeys(["født", "fødselsdato", "fødselsdag", "f.", "date of birth", "dob",
                       "d.o.b", "born", "birth date", "birthdate", "birthday", "b."])
    )  # fmt: skip
    WINDOW: ClassVar[int] = 30
    # A sentence ending between the context and the date ("d. " and "f. " are abbreviations).
    SENTENCE_END: ClassVar[re.Pattern[str]] = re.compile(r"[?!]|\w{3,}\.\s")

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield valid past dates with birth context at most a few words before them."""
        today: dt.date | None = None
        text = doc.text
        resume = 0
        for _start, end, _ in self.CONTEXT.find(doc.lower):
            match = self.PATTERN.search(text, max(end, resume), end + self.WINDOW + 24)
            if match is None or match.start() > end + self.WINDOW:
                continue
            if self.SENTENCE_END.search(text, end, match.start()):
                continue  # "date of birth? It's on file. Meeting on 12/03/1985"
            resume = match.end()
            date = self._parse(match)
            today = today or dt.date.today()
            if date is not None and today >= date and date.year >= today.year - 125:
                yield self.finding(match.start(), match.end(), self.score)

    @staticmethod
    def _parse(match: re.Match[str]) -> dt.date | None:
        g = match.groupdict()
        try:
            if g["d"]:
                year = int(g["y"])
                if len(g["y"]) == 2:
                    # Two-digit years: a birth year is in the past, so 30 means 1930.
                    year += 2000 if year <= dt.date.today().year % 100 else 1900
                return dt.date(year, int(g["m"]), int(g["d"]))
            if g["iy"]:
                return dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
            if g["td"]:
                return dt.date(int(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"]))
            return dt.date(int(g["uy"]), MONTHS[g["um"].lower()], int(g["ud"]))
        except ValueError:
            return None
