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
    """A lexicon term: its special-category type, whether it is a stem ("diabet*"), the
    lexicon languages it is in, and whether it has everyday senses too ("race!": a running
    race, "misbrug!": card misuse) and so needs a person right before it."""

    type: str
    prefix: bool
    langs: frozenset[str] = frozenset()
    tight: bool = False
    predicate: bool = False


@cache
def special_lexicon(languages: tuple[str, ...]) -> ahocorasick.Automaton:
    """Build the lower-case automaton over the special-category lexicons of ``languages``."""
    entries: dict[str, Term] = {}
    for lang in languages:
        for kind, raw in load_pairs(f"special_{lang}.txt"):
            if kind not in SPECIAL_TYPES:
                raise ValueError(f"special_{lang}.txt: unknown type {kind!r}")
            predicate = raw.endswith("=")
            tight = raw.endswith("!") or predicate
            term = raw.rstrip("!=")
            stem = term.endswith("*")
            key = term.rstrip("*").lower()
            known = entries.get(key)
            langs = frozenset({lang}) | (known.langs if known else frozenset())
            tight = tight or bool(known and known.tight)
            predicate = predicate or bool(known and known.predicate)
            entries[key] = Term(kind, stem, langs, tight, predicate)
    return build_automaton(dict(entries))


# Words of the clause before a term, with "i'm" also read as "i" (as a \b regex would).
_TOKENS = re.compile(r"\w+(?:'\w+)?")


def _words(lower: str, start: int, end: int) -> list[str]:
    """The words of ``lower[start:end]``, leaving out words the window cuts in two."""
    end = min(end, len(lower))
    while start < end and start and lower[start - 1].isalnum() and lower[start].isalnum():
        start += 1
    while end > start and end < len(lower) and lower[end].isalnum() and lower[end - 1].isalnum():
        end -= 1
    words: list[str] = []
    for token in _TOKENS.findall(lower, start, end):
        if "'" in token:
            words.append(token.split("'")[0])
        words.append(token)
    return words


class SpecialCategoryDetector(Detector):
    """Health, religion, union membership, ethnicity, politics, orientation, biometrics."""

    name = "special_category"
    entity_type = "health"
    category = "special"
    base_score = 0.45
    PERSON_SCORE: ClassVar[float] = 0.3

    # Someone's own situation ("jeg har", "my son is") makes a mention personal data. In
    # Danish text "i" is "in" and "I" the firm addressed ("I støtter"): not a person there.
    #: One-word and two-word cues that a clause is about a person (token lists, so the
    #: check is set work instead of a long alternation searched at every position).
    PERSONAL_WORDS: ClassVar[dict[str, frozenset[str]]] = {
        "da": frozenset(
            "jeg mig min mit mine vi vores han hun hans hendes søn datter mand kone barn far "
            "mor bror søster svigermor svigerfar kollega kunden patienten medlemmet som "
            "diagnosticeret".split()
        ),
        "en": frozenset(
            "i'm i've me my we our he she his her son daughter husband wife child father "
            "mother mum mom dad brother sister partner colleague patient being you're "
            "diagnosed suffer suffers".split()
        ),
    }
    PERSONAL_PAIRS: ClassVar[dict[str, frozenset[str]]] = {
        "da": frozenset({"du er", "du har", "lider af", "er medlem"}),
        "en": frozenset({"the customer", "as a", "you are", "am a", "member of"}),
    }
    _DA_CUES: ClassVar[frozenset[str]] = PERSONAL_WORDS["da"] | PERSONAL_WORDS["en"]
    _EN_CUES: ClassVar[frozenset[str]] = _DA_CUES | {"i"}
    _PAIRS: ClassVar[frozenset[str]] = PERSONAL_PAIRS["da"] | PERSONAL_PAIRS["en"]
    # Negations and general talk ("we don't store", "if you have") are not about a person.
    GENERAL_WORDS: ClassVar[frozenset[str]] = frozenset(
        "ikke ingen aldrig not no never don't doesn't without uden hvis if any generelt "
        "general generally policy politik".split()
    )
    GENERAL_PHRASES: ClassVar[tuple[str, ...]] = (
        "e.g.", "f.eks.", "such as", "som fx", "information about", "oplysninger om",
        "questions about", "spørgsmål om", "regarding customers", "kunder med", "data about",
        "data om",
    )  # fmt: skip
    #: A term marked "=" is about a person only as what someone is ("my son is deaf").
    COPULAS: ClassVar[frozenset[str]] = frozenset(
        "am 'm i'm is 's are 're was were be been being er var blev bliver blevet".split()
    )
    #: A term with everyday senses needs its person within this many words before it.
    TIGHT_WORDS: ClassVar[int] = 3
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
            lang = doc.language_at(start)
            if len(term.langs) == 1 and doc.lang == "auto" and lang not in term.langs:
                continue  # "abort" in English text is no Danish "abort"
            window_start = max(0, start - 45)
            # The last clause boundary before the term bounds the context it may use.
            for boundary in self.CLAUSE_END.finditer(text, window_start, start):
                window_start = boundary.end()
            yield self.finding(
                start, end, self._score(doc, lang, term, window_start, start, end), term.type
            )

    def _score(
        self, doc: Document, lang: str, term: Term, window_start: int, start: int, end: int
    ) -> float:
        """The base score, raised when the clause is about a person, lowered for general
        talk, device features and proper nouns ("Kristen Hansen", "Christian Dior")."""
        lower, text = doc.lower, doc.text
        if term.type == "biometric" and self.DEVICE_FEATURE.match(lower, end):
            return self.score - 0.5
        clause = lower[window_start:start]
        before = _words(lower, window_start, start)
        if self.GENERAL_WORDS.intersection(before) or any(
            phrase in clause for phrase in self.GENERAL_PHRASES
        ):
            return self.score - 0.35
        if self._proper_noun(text, lang, term, start, end):
            return self.score - 0.35
        # Both languages' cues count (quoted replies mix them); Danish "i" is "in".
        single = self._DA_CUES if lang == "da" else self._EN_CUES
        pairs = self._PAIRS
        near = _words(lower, max(window_start, start - self.WINDOW), start)
        if term.predicate and not self.COPULAS.intersection(near[-2:]):
            return self.score  # "I disabled the alarm" is a verb; "I am disabled" is not
        if term.tight:
            near = near[-self.TIGHT_WORDS :]
            after: list[str] = []
        else:
            after = _words(lower, end, end + self.WINDOW // 2)
        personal = (
            single.intersection(near)
            or single.intersection(after)
            or any(f"{a} {b}" in pairs for a, b in zip(near, near[1:], strict=False))
            or any(f"{a} {b}" in pairs for a, b in zip(after, after[1:], strict=False))
            or not term.tight
            and self._named(text, max(window_start, start - self.WINDOW), start)
        )
        return self.score + self.PERSON_SCORE if personal else self.score

    @staticmethod
    def _proper_noun(text: str, lang: str, term: Term, start: int, end: int) -> bool:
        """A capitalised term inside a sentence is a name: Danish writes "kristen", "jøde"
        in lower case, so "Kristen" mid-sentence is a person's name; in English a
        capitalised word after it makes it part of a name ("Christian Dior")."""
        first = text[start : start + 1]
        if not first.isupper() or text[start:end].isupper():
            return False  # lower case, or an abbreviation ("3F", "HK", "GMB")
        index = start - 1
        while index >= 0 and text[index] in " \t":
            index -= 1
        if index < 0 or text[index] in '.!?\n"«»(:;-–•*':
            return False  # sentence start: capitalised anyway
        if lang == "da" and term.type in {"religion", "health", "ethnicity"}:
            return True
        following = text[end : end + 3]
        return (
            len(following) == 3
            and following[0] == " "
            and following[1].isupper()
            and following[2].islower()  # "Christian Dior", not "Muslim I"
        )

    NAME: ClassVar[re.Pattern[str]] = re.compile(r"(?<![\w.])[A-ZÆØÅ][a-zæøå]+")

    def _named(self, text: str, start: int, end: int) -> bool:
        """Tell whether a known given name stands in ``text[start:end]`` (not first word)."""
        first, stop = first_names(), stop_words()
        for match in self.NAME.finditer(text, start, end):
            word = fold(match.group())
            if word in first and word not in stop and match.start() > start:
                return True
        return False
