"""Indirect identifiers: age, profession with employer, family relations, nationality.

Alone none of these names a person; together they can single one out, so they are their
own low-risk category ("indirect") that pseudonymisation may generalise instead of
removing. Each is taken only where the text says it of a person ("I'm 34", "min datter",
"jeg er svensk statsborger", "I work as a nurse at ..."), not as general talk. The detector
is off by default (``Classifier({"extra": ["indirect"]})`` switches it on) until the
manifest gives the category a purpose and an access policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import Finding

_RELATIONS = (
    "son|daughter|wife|husband|mother|father|mum|mom|dad|brother|sister|grandmother|"
    "grandfather|grandson|granddaughter|uncle|aunt|nephew|niece|cousin|partner|fiancée?|"
    "boyfriend|girlfriend|mother-in-law|father-in-law|son-in-law|daughter-in-law|stepson|"
    "stepdaughter|children|kids|baby|søn|datter|mand|kone|hustru|mor|far|bror|søster|"
    "farmor|mormor|farfar|morfar|oldemor|oldefar|onkel|tante|fætter|kusine|nevø|niece|"
    "svigermor|svigerfar|svigersøn|svigerdatter|kæreste|samlever|barn|børn|stedsøn|steddatter"
)
_DEMONYMS = (
    "Danish|Swedish|Norwegian|Finnish|Icelandic|German|Polish|Irish|French|Spanish|Italian|"
    "Portuguese|Dutch|Belgian|Austrian|Swiss|Czech|Slovak|Hungarian|Romanian|Bulgarian|"
    "Greek|Croatian|Serbian|Slovenian|Estonian|Latvian|Lithuanian|Ukrainian|Russian|Turkish|"
    "British|English|Scottish|Welsh|American|Canadian|Mexican|Brazilian|Indian|Pakistani|"
    "Chinese|Japanese|Korean|Vietnamese|Thai|Filipino|Iranian|Iraqi|Syrian|Afghan|Somali|"
    "Moroccan|Egyptian|Nigerian|Eritrean|Ethiopian|Australian|dansk|svensk|norsk|finsk|"
    "islandsk|tysk|polsk|irsk|fransk|spansk|italiensk|portugisisk|hollandsk|belgisk|"
    "østrigsk|schweizisk|tjekkisk|ungarsk|rumænsk|bulgarsk|græsk|kroatisk|serbisk|estisk|"
    "lettisk|litauisk|ukrainsk|russisk|tyrkisk|britisk|engelsk|amerikansk|canadisk|indisk|"
    "pakistansk|kinesisk|japansk|iransk|irakisk|syrisk|afghansk|somalisk|marokkansk|"
    "tyrkisk|eritreisk"
)
_COMPANY = r"[A-ZÆØÅ0-9][^\n.,;!?]{1,60}?(?=[.,;!?\n]|\s(?:and|og|men|but)\s|$)"


class IndirectDetector(Detector):
    """Age, profession with employer, family relation, nationality (indirect)."""

    name = "indirect"
    entity_type = "age"
    category = "indirect"
    base_score = 0.6

    # The group "v" is the span of the finding; the words around it say it is personal.
    PATTERNS: ClassVar[tuple[tuple[str, re.Pattern[str]], ...]] = (
        ("age", re.compile(
            r"\b(?P<v>(?:1[01]\d|[1-9]?\d)(?: ?(?:years?|yrs?)[ -]old|-year-old|-?årige?\b))"
            r"|\b(?:[Jj]eg er|[Hh]an er|[Hh]un er|på|bliver|blev) (?P<w>(?:1[01]\d|[1-9]?\d) år)\b"
            r"|\b(?:I am|I'm|I’m|aged|[Aa]ge:|[Aa]lder:) (?P<x>(?:1[01]\d|[1-9]?\d))"
            r"(?=[,.;!]| and\b)"
        )),
        ("family_relation", re.compile(
            rf"\b(?P<v>(?i:my|our|his|her|min|mit|mine|vores|hans|hendes) (?:{_RELATIONS}))\b"
        )),
        ("nationality", re.compile(
            rf"\b(?:I am|I'm|I’m|as an?|being|[Jj]eg er|[Hh]an er|[Hh]un er|som) (?:an? )?"
            rf"(?P<v>{_DEMONYMS})\b|\b(?P<w>{_DEMONYMS})(?= (?:citizen|national|statsborger)\b)"
            rf"|\b(?:years old|år),? (?:and |og )?(?P<x>{_DEMONYMS})\b"
        )),
        ("profession", re.compile(
            r"\b(?:work as an?|working as an?|employed as an?|employed as|work as|"
            r"arbejder som|ansat som|I'm an?|I am an?) "
            rf"(?P<v>[^\n.,;!?]{{2,50}}? (?:at|hos|for|with|ved) {_COMPANY})"
        )),
    )  # fmt: skip

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield each indirect identifier said of a person."""
        for kind, pattern in self.PATTERNS:
            for match in pattern.finditer(doc.text):
                group = next(g for g in ("v", "w", "x") if match.groupdict().get(g))
                yield self.finding(*match.span(group), self.score, entity_type=kind)
