"""Phone detector table: Danish default region, international formats, hard negatives."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("Ring på +45 20 12 34 56 i dag", "auto", ["+45 20 12 34 56"]),
    ("tlf. 20123456", "da", ["20123456"]),
    ("Mobil: 0045 31 22 45 67", "da", ["0045 31 22 45 67"]),
    ("Mit nummer er 28 44 19 02.", "da", ["28 44 19 02"]),
    (
        "Call me on +44 20 7946 0018 or +1 212 555 0198",
        "en",
        ["+44 20 7946 0018", "+1 212 555 0198"],
    ),
    ("Please call 020 7946 0958 today, thanks", "en", ["020 7946 0958"]),
    ("Phone (212) 555-0143 please and thanks", "en", ["(212) 555-0143"]),
    ("Mit svenske nummer +46 8 1234 5678", "da", ["+46 8 1234 5678"]),
    # Hard negatives: order, invoice, tracking numbers, timestamps, dates, prices, CPR.
    ("Ordrenummer 40123456 er afsendt", "da", []),
    ("The order number is 40123456", "en", []),
    ("Faktura 2024-1362 er betalt", "da", []),
    ("Sporingsnummer 00370712345678901234", "da", []),
    ("Logget 2024-03-12 14:33:05 fra serveren", "da", []),
    ("Leveret 12.03.2024 kl. 10.15", "da", []),
    ("Pris 1.234,50 kr.", "da", []),
    ("CPR 010190-1234", "da", []),
    ("IP 192.168.100.200", "da", []),
    # Codes and order numbers are eight digits too: the nearest label decides.
    ("din aktiveringskode er 48213377 og den udløber om 24 timer", "da", []),
    ("Your activation code: 48213377", "en", []),
    ("Koden er 48213377", "da", []),
    ("SMS-kode: 48213377", "da", []),
    ("Ordrenummeret er 48213377", "da", []),
    ("Your order number is 48213377, thanks", "en", []),
    ("Engangskode 48 21 33 77", "da", []),
    # ... while labelled numbers and numbers with +45 are still phones.
    ("Koden er sendt. Ring på 48213377 hvis den ikke virker", "da", ["48213377"]),
    ("Your code is 48213377, call me on 20123456", "en", ["20123456"]),
    ("Ordre +45 20 12 34 56", "da", ["+45 20 12 34 56"]),
    ("Aktiveringskode sendt til +4520123456", "da", ["+4520123456"]),
    ("", "auto", []),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES)
def test_phone(text: str, lang: str, expected: list[str]) -> None:
    assert spans("phone", text, lang=lang) == [("phone", e) for e in expected]


def test_bare_number_scores_lower_than_one_with_context() -> None:
    from plugin.classify import Classifier

    classifier = Classifier({"enabled": ["phone"]})
    bare = classifier.classify("Her er 20123456")
    context = classifier.classify("Her er tlf. 20123456")
    assert bare and context
    assert bare[0].score < context[0].score


INTERNATIONAL = [
    # National formats of the default region list (EU + GB + US + Nordics).
    ("Ruf mich an: 030 901820", "en", ["030 901820"]),
    ("Please call me back on 08-975 809 30, thanks", "en", ["08-975 809 30"]),
    ("Mon numéro: 06 76 45 42 22", "en", ["06 76 45 42 22"]),
    (
        "call 0044 20 7946 0018 or +33 1 42 68 53 00",
        "en",
        ["0044 20 7946 0018", "+33 1 42 68 53 00"],
    ),
    ("Phone (212) 555-0143 x89 after lunch", "en", ["(212) 555-0143 x89"]),
    # Digit runs that merge: opening hours before a number.
    ("Vi har åbent 9-17 40253019 er nummeret", "da", ["40253019"]),
    # A bare national number valid only abroad needs a label.
    ("Reference 0226620078 was paid", "en", []),
    ("Please call me back on 0226620078", "en", ["0226620078"]),
]


@pytest.mark.parametrize(("text", "lang", "expected"), INTERNATIONAL)
def test_phone_other_regions(text: str, lang: str, expected: list[str]) -> None:
    assert spans("phone", text, lang=lang) == [("phone", e) for e in expected]


def test_region_list_is_configurable() -> None:
    from plugin.classify import Classifier

    text = "Please call me back on 08-975 809 30"
    assert Classifier({"enabled": ["phone"]}).classify(text, lang="en")
    danish_only = Classifier({"enabled": ["phone"], "options": {"phone": {"regions": ["DK"]}}})
    assert danish_only.classify(text, lang="en") == []


def test_unknown_region_or_detector_in_options_is_an_error() -> None:
    from plugin.classify import Classifier, DetectorNotFound

    with pytest.raises(ValueError, match="XX"):
        Classifier({"options": {"phone": {"regions": ["XX"]}}})
    with pytest.raises(DetectorNotFound):
        Classifier({"options": {"nope": {}}})
