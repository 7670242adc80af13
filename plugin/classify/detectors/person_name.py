"""Person names from the shipped lexicon: first+last pairs, or a name in greeting context."""

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
from plugin.classify.lexicon import PhraseFinder, build_automaton, load_words

_UP = "A-ZÆØÅÄÖÜÉ"
_LOW = "a-zæøåäöüéèáíóúëï"
_NAME_TOKEN = rf"[{_UP}][{_LOW}]+(?:['’-][{_UP}][{_LOW}]+)?"
_NAMES = rf"(?P<name>{_NAME_TOKEN}(?:[ -]{_NAME_TOKEN}){{0,3}})"
_SPLIT = re.compile(r"([ -])")
Span = tuple[int, int, float]


@dataclass(frozen=True, slots=True)
class NameKind:
    """How a lexicon entry may be used: as a first name, a last name, or both."""

    first: bool
    last: bool


@cache
def name_lexicon() -> ahocorasick.Automaton:
    """Build the case-sensitive automaton over the shipped Danish and English name lists."""
    first = load_words("names_da_first.txt") | load_words("names_en_first.txt")
    last = load_words("names_da_last.txt") | load_words("names_en_last.txt")
    return build_automaton({n: NameKind(n in first, n in last) for n in first | last})


@cache
def common_words() -> frozenset[str]:
    """Lower-cased everyday words that are not names even when capitalised."""
    return load_words("common_words.txt")


class PersonNameDetector(Detector):
    """Names of people (identity)."""

    name = "person_name"
    entity_type = "person_name"
    category = "identity"
    base_score = 0.85

    # Greetings and introductions announce a name right after them; sign-offs announce one
    # that stands alone at the end of its line ("Mvh. Peter", "Best regards,\nSarah Miller").
    CONTEXT: ClassVar[PhraseFinder] = PhraseFinder(
        dict.fromkeys(["hej", "hejsa", "hi", "hello", "hey", "dear", "kære", "hallo", "goddag",
                       "good morning", "god morgen"], "greeting")
        | dict.fromkeys(["mit navn er", "jeg hedder", "my name is", "this is", "name", "navn",
                         "kontaktperson", "contact person"], "intro")
        | dict.fromkeys(["med venlig hilsen", "venlig hilsen", "de bedste hilsner", "hilsen",
                         "bedste hilsner", "mange hilsner", "mvh", "vh", "kh", "bh", "tak",
                         "kind regards", "best regards", "warm regards", "regards", "cheers",
                         "best wishes", "many thanks", "thanks", "thank you", "sincerely",
                         "yours sincerely", "yours truly", "på forhånd tak", "signed",
                         "underskrevet"], "signoff")
    )  # fmt: skip
    TAILS: ClassVar[dict[str, re.Pattern[str]]] = {
        "greeting": re.compile(rf"[ \t]+{_NAMES}"),
        "intro": re.compile(rf"[ \t]*:?[ \t]*{_NAMES}"),
        "signoff": re.compile(
            rf"[ \t]*[.,!]?(?:[ \t]*\r?\n[ \t]*|[ \t]+)(?=[^\n]{{1,40}}$){_NAMES}", re.MULTILINE
        ),
    }
    # Chat speakers and letter headings ("Agent Camilla:", "To Keith") only count for
    # names the lexicon knows, since "Til København" has the same shape.
    WEAK_CONTEXT: ClassVar[re.Pattern[str]] = re.compile(
        r"^[ \t]*(?i:agent|kunde|customer|rådgiver|advisor|medarbejder|til|to|fra|from|attn\.?)"
        rf"[ \t]+(?P<name>{_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,2}})(?=[ \t]*(?::|,|\r?\n|$))",
        re.MULTILINE,
    )
    NEXT_TOKEN: ClassVar[re.Pattern[str]] = re.compile(rf" ({_NAME_TOKEN})")
    PAIR_SCORE: ClassVar[float] = 0.85
    UNKNOWN_SURNAME_SCORE: ClassVar[float] = 0.7
    CONTEXT_SCORE: ClassVar[float] = 0.8
    UNKNOWN_CONTEXT_SCORE: ClassVar[float] = 0.65

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield names announced by context, then lexicon first+last pairs."""
        # Context and pair rules often find the same span; only its best score can win an
        # overlap, so one finding per span is built.
        best: dict[tuple[int, int], float] = {}
        for spans in (self._in_context(doc), self._weak_context(doc), self._pairs(doc)):
            for start, end, score in spans:
                if best.get((start, end), -1.0) < score:
                    best[start, end] = score
        for (start, end), score in best.items():
            yield self.finding(start, end, score)

    def _in_context(self, doc: Document) -> Iterator[Span]:
        automaton = name_lexicon()
        common = common_words()
        text = doc.text
        lower = doc.lower
        size = len(lower)
        tails = self.TAILS
        previous = (-1, None)
        for last, (key, kind) in self.CONTEXT.automaton.iter(lower):
            # Inlined word-boundary checks (lexicon.iter_words): this loop is hot.
            end = last + 1
            start = end - len(key)
            if (start and (lower[start - 1].isalnum() or lower[start - 1] == "_")) or (
                end < size and (lower[end].isalnum() or lower[end] == "_")
            ):
                continue
            # "Med venlig hilsen" also ends "venlig hilsen" and "hilsen": same tail, once.
            if previous == (end, kind):
                continue
            previous = (end, kind)
            match = tails[kind].match(text, end)
            if match is None:
                continue
            start = match.start("name")
            tokens = _SPLIT.split(match.group("name"))
            words = tokens[::2]
            kept = 0
            for word in words:
                if word.lower() in common:
                    break
                kept += 1
            if kept == 0:
                continue
            end = start + len("".join(tokens[: 2 * kept - 1]))
            known = any(word in automaton for word in words[:kept])
            yield start, end, self.CONTEXT_SCORE if known else self.UNKNOWN_CONTEXT_SCORE

    def _weak_context(self, doc: Document) -> Iterator[Span]:
        automaton = name_lexicon()
        for match in self.WEAK_CONTEXT.finditer(doc.text):
            first = match.group("name").split(" ")[0]
            kind = automaton.get(first, None)
            if kind is not None and kind[1].first and first.lower() not in common_words():
                yield match.start("name"), match.end("name"), self.CONTEXT_SCORE

    def _pairs(self, doc: Document) -> Iterator[Span]:
        text = doc.text
        size = len(text)
        common = common_words()
        chain: list[tuple[int, int, NameKind]] = []
        for last, (key, kind) in name_lexicon().iter_long(text):
            end = last + 1
            start = end - len(key)
            if (start and (text[start - 1].isalnum() or text[start - 1] == "_")) or (
                end < size and (text[end].isalnum() or text[end] == "_")
            ):
                continue
            if key.lower() in common:
                continue
            if chain and start - chain[-1][1] == 1 and text[chain[-1][1]] in " -":
                chain.append((start, end, kind))
                continue
            if chain:
                yield from self._chain(doc, chain, common)
            chain = [(start, end, kind)]
        if chain:
            yield from self._chain(doc, chain, common)

    def _chain(
        self, doc: Document, chain: list[tuple[int, int, NameKind]], common: frozenset[str]
    ) -> Iterator[Span]:
        if not chain[0][2].first:
            return
        start, end = chain[0][0], chain[-1][1]
        if len(chain) >= 2 and any(kind.last for _, _, kind in chain[1:]):
            yield start, end, self.PAIR_SCORE
            return
        # A known first name followed by an unknown capitalised word: a rarer surname.
        following = self.NEXT_TOKEN.match(doc.text, end)
        if following and following.group(1).lower() not in common:
            yield start, following.end(), self.UNKNOWN_SURNAME_SCORE
