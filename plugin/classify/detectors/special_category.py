"""GDPR Art. 9 special categories from Danish and English lexicons with context rules.

A term is personal data only about someone: the clause it stands in must name a person it
is about (first person, "my son", "the customer", a known given name); generic mentions
("the race on Sunday", "Folkekirken og Røde Kors") stay below the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import ahocorasick

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding
from plugin.classify.lexicon import build_automaton, load_pairs
from plugin.classify.names import first_names, fold, stop_words

#: The special-category types and the lexicon key that selects them.
SPECIAL_TYPES: tuple[str, ...] = (
    "health",
    "religion",
    "trade_union",
    "ethnicity",
    "politics",
    "sexual_orientation",
    "biometric",
    "genetic",
)

# The rest of a word after a stem ("diabet" + "iker"): what iter_words walks char by char.
_WORD_END = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Term:
    """A lexicon term: its special-category type and whether it is a stem ("diabet*")."""

    type: str
    prefix: bool


@cache
def special_lexicon(languages: tuple[str, ...]) -> ahocorasick.Automaton:
    """Build the lower-case automaton over the special-category lexicons of ``languages``."""
    entries: dict[str, Term] = {}
    for lang in languages:
        for kind, term in load_pairs(f"special_{lang}.txt"):
            if kind not in SPECIAL_TYPES:
                raise ValueError(f"special_{lang}.txt: unknown type {kind!r}")
            stem = term.endswith("*")
            entries[term.rstrip("*").lower()] = Term(kind, stem)
    return build_automaton(dict(entries))


class SpecialCategoryDetector(Detector):
    """Health, religion, union membership, ethnicity, politics, orientation, biometrics."""

    name = "special_category"
    entity_type = "health"
    category = "special"
    base_score = 0.45
    PERSON_SCORE: ClassVar[float] = 0.3

    # Someone's own situation ("jeg har", "my son is") makes a mention personal data. In
    # Danish text "i" is "in" and "I" the firm addressed ("I støtter"): not a person there.
    _WORDS: ClassVar[str] = (
        r"jeg|mig|min|mit|mine|vi|vores|han|hun|hans|hendes|søn|datter|mand|kone|barn|far|mor"
        r"|bror|søster|svigermor|svigerfar|kollega|kunden|patienten|medlemmet|som|du er|du har"
        r"|diagnosticeret|lider af|er medlem|i'm|i've|me|my|we|our|he|she|his|her|son|daughter"
        r"|husband|wife|child|father|mother|mum|mom|dad|brother|sister|partner|colleague"
        r"|the customer|patient|as a|being|you're|you are|diagnosed|suffer|suffers|am a member"
        r"|member of"
    )
    PERSONAL: ClassVar[dict[str, re.Pattern[str]]] = {
        "da": re.compile(rf"\b(?:{_WORDS})\b"),
        "en": re.compile(rf"\b(?:i|{_WORDS})\b"),
    }
    # Negations and general talk ("we don't store", "if you have") are not about a person.
    GENERAL: ClassVar[re.Pattern[str]] = re.compile(
        r"\b(?:ikke|ingen|aldrig|not|no|never|don't|doesn't|without|uden|hvis|if|any"
        r"|generelt|general|generally|policy|politik|e\.g\.|f\.eks\.|such as|som fx"
        r"|information about|oplysninger om|questions about|spørgsmål om|regarding customers"
        r"|kunder med|data about|data om)\b"
    )
    WINDOW: ClassVar[int] = 40
    # Context stops at the end of the previous sentence ("Min pakke kom aldrig. ... jeg har
    # diabetes": the negation belongs to the parcel); a capital after the stop tells a
    # sentence from "f.eks. astma". Contrastive clauses ("..., men jeg har") start afresh.
    CLAUSE_END: ClassVar[re.Pattern[str]] = re.compile(
        r"[.!?]+[\"')]*[ \t]+(?=[A-ZÆØÅ])|[.!?]*\n|;|,? (?:men|but) "
    )
    # Device features named after a biometric ("Fingeraftryk-login", "fingerprint sensor")
    # are about the phone, not biometric data about a person.
    DEVICE_FEATURE: ClassVar[re.Pattern[str]] = re.compile(
        r"[- ]?(?:login|log-in|log ind|logon|sign-in|sign in|unlock|oplåsning|lås|sensor|"
        r"sensoren|læser|læseren|reader|scanner|scanneren|knap|button|funktion|funktionen|"
        r"feature|indstilling|setting|settings)(?!\w)"
    )

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield lexicon hits scored by the words around them in their own sentence."""
        lower = doc.lower
        text = doc.text
        size = len(lower)
        for last, (key, term) in special_lexicon(doc.languages).iter(lower):
            # Word boundaries as lexicon.iter_words(prefix_ok=True) has them, inlined (hot).
            end = last + 1
            start = end - len(key)
            if start and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
                continue
            if end < size and (lower[end].isalnum() or lower[end] == "_"):
                if not term.prefix:
                    continue
                word_end = _WORD_END.match(lower, end)
                end = word_end.end() if word_end else end
            window_start = max(0, start - 45)
            # The last clause boundary before the term bounds the context it may use.
            for boundary in self.CLAUSE_END.finditer(text, window_start, start):
                window_start = boundary.end()
            score = self.score
            personal = self.PERSONAL["da" if doc.language_at(start) == "da" else "en"]
            if term.type == "biometric" and self.DEVICE_FEATURE.match(lower, end):
                score -= 0.5
            elif self.GENERAL.search(lower, window_start, start):
                score -= 0.35
            elif (
                personal.search(lower, max(window_start, start - self.WINDOW), start)
                or personal.search(lower, end, end + self.WINDOW // 2)
                or self._named(text, max(window_start, start - self.WINDOW), start)
            ):
                score += self.PERSON_SCORE
            yield self.finding(start, end, score, entity_type=term.type)

    NAME: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\w.])[A-ZÆØÅ][a-zæøå]+")

    def _named(self, text: str, start: int, end: int) -> bool:
        """Tell whether a known given name stands in ``text[start:end]`` (not first word)."""
        first, stop = first_names(), stop_words()
        for match in self.NAME.finditer(text, start, end):
            word = fold(match.group())
            if word in first and word not in stop and match.start() > start:
                return True
        return False
