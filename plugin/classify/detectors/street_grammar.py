"""Street-line grammar for addresses written without a postcode (or with one after them).

Danish/Nordic/German streets are one word ending in a street word ("Nørregade",
"Ringvägen", "Hellwigstraße") with optional words before it ("Lille Strandgade"), then a
house number ("12", "131B", "3/7") and Danish floor and side ("2. th.", "st. tv.",
"1. sal", "3 tv"). English streets end in a USPS Publication 28 suffix after a house
number ("749 Baker Circles", "12 High Street Apt. 4"), British ones may start with a
flat or studio ("Flat 3, Amanda Ridges"); French ones start with the street kind
("59, rue Besson", "avenue de Roussel"). A postcode and town after the line are taken in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from plugin.classify.document import Document

# USPS Publication 28 (appendix C1) street suffixes and their British siblings: "Amanda
# Ridges" is a street, not a woman (person_name uses the list too).
STREET_WORDS = frozenset(
    "alley anex arcade ave avenue bayou beach bend bluff bluffs blvd bottom boulevard branch "
    "bridge brook brooks burg burgs bypass camp canyon cape causeway center centers centre "
    "circle circles cliff cliffs close club common commons corner corners course court courts "
    "cove coves creek crescent crest crossing crossroad ct curve dale dam divide dr drive "
    "drives estate estates expressway extension extensions fall falls ferry field fields flat "
    "flats ford fords forest forge forges fork forks fort freeway garden gardens gateway glen "
    "glens grange green greens grove groves harbor harbors harbour haven heights highway hill "
    "hills hollow hwy inlet island islands isle junction junctions key keys knoll knolls lake "
    "lakes land landing lane light lights ln loaf lock locks lodge loop mall manor manors "
    "meadow meadows mews mill mills mission motorway mount mountain mountains neck orchard "
    "oval overpass parade park parks parkway parkways pass passage path pike pine pines pl "
    "place plain plains plaza point points port ports prairie radial ramp ranch rapid rapids "
    "rd rest ridge ridges river road roads route row rue run shoal shoals shore shores skyway "
    "spring springs spur spurs sq square squares st station stravenue stream street streets "
    "summit terrace throughway trace track trafficway trail trailer tunnel turnpike underpass "
    "union unions valley valleys viaduct view views village villages ville vista walk walks "
    "wall way ways well wells wharf".split()
)
_UP = "A-ZÆØÅÄÖÜÉÈ"
_LOW = "a-zæøåäöüéèáíóúßç"
_WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)*"
_NORDIC_SUFFIX = (
    "vej|gade|allé|alle|stræde|plads|torv|vænge|vænget|parken|bakken|haven|høj|højen|toften|"
    "engen|lunden|stien|vangen|kvarter|straße|strasse|str\\.|weg|gasse|ring|platz|allee|damm|"
    "ufer|chaussee|steig|pfad|vägen|gatan|gränd|torget|stigen|backen|leden|vei|veien|gata|"
    "gaten|gate|plassen|lia|svingen|tunet|stubben|marka|åsen|haugen|jordet|grenda|berget|"
    "holmen|neset|vika|dalen|tunet|løkka|øa|hagen"
)
_NUMBER = r"\d{1,4}[A-Za-z]?(?:[/-]\d{1,4}[A-Za-z]?)?"
_FLOOR = (
    r"(?:,? ?(?:(?:st|kl|\d{1,2})\.? ?(?:tv|th|mf)\.?|(?:st|kl)\.|\d{1,2}\. ?sal)"
    r"(?![\w]))?"
)
_TOWN = rf"(?:,? ?\n?(?:[A-Z]{{1,2}}-)?\d{{4,5}} [{_UP}][{_LOW}]+(?:[ -][{_UP}]?[{_LOW}]+){{0,3}})?"
_EN_SUFFIX = "|".join(sorted((w.capitalize() for w in STREET_WORDS), key=len, reverse=True))
_UNIT = r"(?: (?:Apt|Apartment|Suite|Ste|Unit|Flat)\.? ?\w{1,5})?"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}"
_EN_TOWN = (
    rf"(?:,?\s(?:{_WORD}(?: {_WORD}){{0,2}}),?"
    rf"(?: (?:[A-Z]{{2}} \d{{5}}(?:-\d{{4}})?|{_UK_POSTCODE})|,? {_UK_POSTCODE})?)?"
)

_DA_STREET_WORD = "Allé|Alle|Vej|Gade|Boulevard|Plads|Torv|Stræde|Vænge|Park|Have|Bakke|Vang|Kaj"
NORDIC: re.Pattern[str] = re.compile(
    rf"(?<![\w-])(?:(?:{_WORD} ){{0,2}}[{_UP}][{_LOW}]*(?:-[{_UP}]?[{_LOW}]+)*"
    rf"-?(?i:{_NORDIC_SUFFIX})|(?:{_WORD} ){{1,3}}(?:{_DA_STREET_WORD}))"
    rf" {_NUMBER}{_FLOOR}{_TOWN}(?![\w])"
)
ENGLISH: re.Pattern[str] = re.compile(
    rf"(?<![\w-])(?:(?:(?:Flat|Studio|Apartment|Unit) \w{{1,4}},? )?\d{{1,5}}[A-Za-z]? "
    rf"|(?:Flat|Studio|Apartment|Unit) \w{{1,4}}, )(?:{_WORD} ){{1,3}}(?:{_EN_SUFFIX})(?![\w])"
    rf"{_UNIT}{_EN_TOWN}"
)
FRENCH: re.Pattern[str] = re.compile(
    rf"(?<![\w-])(?:\d{{1,4}}(?: ?bis)?,? )?(?:rue|avenue|boulevard|chemin|allée|impasse|place|"
    rf"quai|route|cours|square)(?: (?:de la|de|du|des|d'))? {_WORD}(?: {_WORD}){{0,2}}{_TOWN}"
)

# Cheap hints that a street line may end here; the full grammar runs only around them.
# Nordic and English hints sit at the document's digit runs (found once for every detector,
# see ``hints``); only the French one and English flats need a scan of their own.
_NORDIC_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzæøåäöüßé.")
_FLAT_HINT = re.compile(r"(?:Flat|Studio|Apartment|Unit) \w{1,4}, [A-Z]")
_FLAT_WORDS = ("Flat ", "Studio ", "Apartment ", "Unit ")
_FRENCH_HINT = re.compile(
    r"(?:rue|avenue|boulevard|chemin|allée|impasse|place|quai|route|cours|square) [A-Zd]"
)
_FRENCH_WORDS = ("rue ", "avenue ", "boulevard ", "chemin ", "allée ", "impasse ", "place ",
                 "quai ", "route ", "cours ", "square ")  # fmt: skip


def hints(doc: Document) -> Iterator[tuple[re.Pattern[str], list[tuple[int, int]]]]:
    """(grammar, [(start, end) of each hint in text order]) for the three grammars.

    Nordic: a lower-case letter or full stop, a space, a digit ("gade 12", "sal. 2").
    English: a digit, an optional letter, a space, a capital ("12 Baker", "4B High"), or a
    flat/studio/unit before the number. French: "rue"/"avenue"/… and a capital or "d".
    """
    text, lower = doc.text, doc.lower
    nordic: list[tuple[int, int]] = []
    english: list[tuple[int, int]] = []
    for start, end, _digits in doc.digit_runs:
        if start > 1 and text[start - 1] == " " and lower[start - 2] in _NORDIC_BEFORE:
            nordic.append((start - 2, start + 1))
        inner = text.find(". ", start, end)
        while inner != -1:  # ". 2" inside a run ("1. 2"): a floor after a number
            if inner + 2 < end:
                nordic.append((inner, inner + 3))
            inner = text.find(". ", inner + 2, end)
        after = end
        if text[after : after + 1].isascii() and text[after : after + 1].isalpha():
            after += 1
        if text[after : after + 1] == " " and "A" <= text[after + 1 : after + 2] <= "Z":
            english.append((end - 1, after + 2))
    if any(word in text for word in _FLAT_WORDS):
        english.extend(m.span() for m in _FLAT_HINT.finditer(text))
        english.sort()
    yield NORDIC, nordic
    yield ENGLISH, english
    if any(word in text for word in _FRENCH_WORDS):
        yield FRENCH, [m.span() for m in _FRENCH_HINT.finditer(text)]


#: Word endings a Nordic/German street line has right before its house number (checked in
#: Python on each NORDIC hint, cheaper than an alternation scanned over the whole text).
NORDIC_ENDINGS: tuple[str, ...] = tuple(
    e.replace("\\.", ".") for e in _NORDIC_SUFFIX.split("|") + _DA_STREET_WORD.lower().split("|")
)
