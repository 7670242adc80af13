"""Special-category (GDPR Art. 9) detector table with context rules."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier
from plugin.classify.detectors.special_category import SPECIAL_TYPES
from tests.classify.helpers import spans

CASES = [
    (
        "Jeg har diabetes og skal have insulin",
        "auto",
        [("health", "diabetes"), ("health", "insulin")],
    ),
    ("Min søn er diabetiker", "da", [("health", "diabetiker")]),
    (
        "I was diagnosed with coeliac disease",
        "en",
        [("health", "diagnosed"), ("health", "coeliac")],
    ),
    ("Jeg er muslim og spiser halal", "da", [("religion", "muslim"), ("religion", "halal")]),
    ("I'm Jewish and keep kosher", "en", [("religion", "Jewish"), ("religion", "kosher")]),
    (
        "Jeg er medlem af fagforeningen 3F",
        "da",
        [("trade_union", "fagforeningen"), ("trade_union", "3F")],
    ),
    ("As a union rep I write for my colleague", "en", [("trade_union", "union rep")]),
    ("I'm gay and my husband and I", "en", [("sexual_orientation", "gay")]),
    ("Jeg stemte på Enhedslisten", "da", [("politics", "stemte på"), ("politics", "Enhedslisten")]),
    ("My DNA test kit broke", "en", [("genetic", "DNA")]),
    ("I use Face ID to log in", "en", [("biometric", "Face ID")]),
    ("Min far er af grønlandsk afstamning", "da", [("ethnicity", "grønlandsk afstamning")]),
    # General mentions and negations are not about a person.
    ("Vi gemmer generelt ikke oplysninger om helbred, religion eller fagforening.", "da", []),
    ("We do not collect information about religion, ethnic origin or political opinions", "en", []),
    ("If you have questions about biometric data, ask", "en", []),
    # A language switch keeps the other language's lexicon out.
    ("Jeg har diabetes", "en", [("health", "diabetes")]),
    ("Jeg er ordblind", "en", []),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES)
def test_special_category(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert spans("special_category", text, lang=lang) == expected


def test_personal_context_scores_higher_than_a_bare_mention() -> None:
    classifier = Classifier({"enabled": ["special_category"]})
    (bare,) = classifier.classify("Produkt til diabetes")
    (personal,) = classifier.classify("Jeg har diabetes")
    assert personal.score > bare.score
    assert {bare.category, personal.category} == {"special"}


def test_every_lexicon_type_is_a_special_type() -> None:
    from plugin.classify.lexicon import load_pairs

    for lang in ("da", "en"):
        kinds = {kind for kind, _ in load_pairs(f"special_{lang}.txt")}
        assert kinds == set(SPECIAL_TYPES), lang
