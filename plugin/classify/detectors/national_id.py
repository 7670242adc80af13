"""National identity numbers other centres meet: US SSN, UK NINO, Swedish personnummer,
Norwegian fødselsnummer, German Steuer-ID. Check digits and rules come from python-stdnum;
the NINO (which stdnum lacks) follows HMRC's published prefix rules (NIM39110).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from stdnum.de import idnr
from stdnum.no import fodselsnummer
from stdnum.se import personnummer
from stdnum.us import ssn

from plugin.classify.detector import Detector
from plugin.classify.document import Document, Phrases, words_pattern
from plugin.classify.finding import Finding

_SEPARATORS = str.maketrans("", "", " -+")
# HMRC: no D, F, I, Q, U, V in either letter, no O second, and these pairs are not issued.
_NINO_BAD = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def _nino_valid(value: str) -> bool:
    return value[:2].upper() not in _NINO_BAD


@dataclass(frozen=True)
class IdKind:
    """One national id: its shape, its validation and how sure a bare match is."""

    type: str
    pattern: re.Pattern[str]
    valid: Callable[[str], bool]
    score: float


KINDS: tuple[IdKind, ...] = (
    # 123-45-6789 / 123 45 6789; nine bare digits are too common to take without a label.
    IdKind(
        "us_ssn",
        re.compile(r"(?<![\d-])\d{3}([- ])\d\d\1\d{4}(?![\d-])"),
        lambda v: ssn.is_valid(v.translate(_SEPARATORS)),
        0.7,
    ),
    IdKind(
        "uk_nino",
        re.compile(
            r"(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d\d ?\d\d ?\d\d ?[A-D]"
            r"(?![A-Za-z0-9])"
        ),
        _nino_valid,
        0.8,
    ),
    IdKind(
        "se_personnummer",
        re.compile(r"(?<![\d-])(?:19|20)?\d{6}[-+]\d{4}(?![\d-])"),
        personnummer.is_valid,
        0.65,
    ),
    IdKind(
        "no_fodselsnummer",
        re.compile(r"(?<![\d-])\d{6} ?\d{5}(?![\d-])"),
        lambda v: fodselsnummer.is_valid(v.replace(" ", "")),
        0.7,
    ),
    IdKind(
        "de_steuer_id",
        re.compile(r"(?<![\d-])\d\d ?\d{3} ?\d{3} ?\d{3}(?![\d-])"),
        lambda v: idnr.is_valid(v.replace(" ", "")),
        0.55,
    ),
)


class NationalIdDetector(Detector):
    """Foreign national identity numbers (identity)."""

    name = "national_id"
    entity_type = "us_ssn"
    category = "identity"
    base_score = 0.7

    CONTEXT: ClassVar[Phrases] = words_pattern(
        ["ssn", "social security", "social security number", "national insurance", "ni number",
         "nino", "personnummer", "personnr", "fødselsnummer", "fodselsnummer", "fnr",
         "steuer-id", "steuerid", "steuer-identifikationsnummer", "idnr", "steuernummer",
         "tax id", "tax number", "tin", "id no", "id number", "id", "identification number",
         "personal number", "identity number", "national id"]
    )  # fmt: skip
    NEGATIVE: ClassVar[Phrases] = words_pattern(
        ["order", "ordre", "invoice", "faktura", "tracking", "phone", "tel", "tlf", "mobile",
         "ref", "reference", "konto", "account", "kode", "code"]
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield numbers of a known shape whose check digits or rules hold."""
        for kind in KINDS:
            if kind.type == "uk_nino":  # two letters, six digits, one letter
                matches: Iterator[re.Match[str]] = self.in_digit_runs(
                    doc, kind.pattern, 6, 6, before=3, after=3
                )
            else:
                matches = self.in_digit_runs(doc, kind.pattern, 9)
            for match in matches:
                value = match.group()
                if not kind.valid(value):
                    continue
                start, end = match.span()
                score = kind.score
                if doc.near(self.CONTEXT, start, end, before=40, after=0):
                    score += 0.25
                elif doc.near(self.NEGATIVE, start, end, before=25, after=0):
                    score -= 0.4
                yield self.finding(start, end, score, entity_type=kind.type)
