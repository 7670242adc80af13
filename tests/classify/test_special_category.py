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
    # Context belongs to its own sentence: an earlier negation does not reach the term.
    ("Mit CPR er 070761-4285 og jeg har diabetes", "da", [("health", "diabetes")]),
    (
        "Min pakke kom aldrig. Mit CPR er 070761-4285 og jeg har diabetes",
        "da",
        [("health", "diabetes")],
    ),
    (
        "Jeg fik ikke pakken. Jeg har astma og kan ikke gå til posthuset.",
        "da",
        [("health", "astma")],
    ),
    (
        "Varen virker ikke!\nMin datter er diabetiker, så vi skal bruge den nu.",
        "da",
        [("health", "diabetiker")],
    ),
    (
        "Jeg kan ikke komme i dag, men jeg er sygemeldt med stress",
        "da",
        [("health", "sygemeldt"), ("health", "stress")],
    ),
    (
        "My parcel never arrived. I have epilepsy and can't drive to the depot.",
        "en",
        [("health", "epilepsy")],
    ),
    (
        "Don't worry about the refund. My son is autistic and needs the quiet room.",
        "en",
        [("health", "autistic")],
    ),
    (
        "It did not help; I was diagnosed with asthma last week.",
        "en",
        [("health", "diagnosed"), ("health", "asthma")],
    ),
    # ... while a negation in the same sentence still counts.
    ("Pakken kom. Jeg har ikke diabetes, det var en fejl.", "da", []),
    ("Thanks. We never store data about health, e.g. diabetes.", "en", []),
    # A device feature named after a biometric is not biometric data about a person.
    ("Fingeraftryk-login virker ikke på min telefon", "da", []),
    ("Min fingeraftrykslæser er i stykker", "da", []),
    ("The fingerprint login stopped working after the update", "en", []),
    ("My fingerprint sensor is broken", "en", []),
    ("I use Face ID unlock on my phone", "en", []),
    # A language switch keeps the other language's lexicon out.
    ("Jeg har diabetes", "en", [("health", "diabetes")]),
    ("Jeg er ordblind", "en", []),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES)
def test_special_category(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert spans("special_category", text, lang=lang) == expected


def test_personal_context_scores_higher_than_a_bare_mention() -> None:
    # A bare mention is about nobody: below the default threshold, but still scored.
    assert Classifier({"enabled": ["special_category"]}).classify("Produkt til diabetes") == []
    classifier = Classifier({"enabled": ["special_category"], "min_score": 0})
    (bare,) = classifier.classify("Produkt til diabetes")
    (personal,) = classifier.classify("Jeg har diabetes")
    assert personal.score > bare.score
    assert {bare.category, personal.category} == {"special"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The race on Sunday is sold out.", []),
        ("I støtter Folkekirken og Røde Kors.", []),
        ("The Labour Party conference is in town.", []),
        ("Min far har demens.", ["demens"]),
        ("The customer has epilepsy.", ["epilepsy"]),
        ("Jeg er kristen og går i kirke.", ["kristen"]),
    ],
)
def test_art9_needs_a_person_it_is_about(text: str, expected: list[str]) -> None:
    found = Classifier({"enabled": ["special_category"]}).classify(text)
    assert [f.value_in(text) for f in found] == expected


def test_every_lexicon_type_is_a_special_type() -> None:
    from plugin.classify.lexicon import load_pairs

    for lang in ("da", "en"):
        kinds = {kind for kind, _ in load_pairs(f"special_{lang}.txt")}
        assert kinds == set(SPECIAL_TYPES), lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Terms with everyday senses need their person right before them ("!" in the lexicon).
        ("I signed up for the charity race and my card was charged twice.", []),
        ("My father had a stroke last spring, so I handle his account.", ["stroke"]),
        ("Jeg har svært ved at tro, at pakken er væk, og min søn venter.", []),
        ("Det strider mod min tro at spise svinekød.", ["tro"]),
        ("Der er sket misbrug af mit kort, og jeg vil have pengene tilbage.", []),
        ("I disabled two-factor login on my account by mistake.", []),
        ("My son is disabled, so please deliver to the door.", ["disabled"]),
        ("My daughter is blind and uses a screen reader.", ["blind"]),
        ("The surgery opening hours on your site are wrong, I rang twice.", []),
        # A Danish-only term in an English text is no Danish term ("abort", "medicin").
        ("I had to abort the checkout because my card was declined.", []),
        # A capitalised term inside a sentence is a name: "Kristen" mid-sentence in Danish.
        ("Jeg har talt med Kristen fra jeres lager om min ordre.", []),
        ("I bought my wife a Christian Dior perfume.", []),
        ("As a Muslim I only eat halal.", ["Muslim", "halal"]),
    ],
)
def test_art9_person_in_the_sentence(text: str, expected: list[str]) -> None:
    found = Classifier({"enabled": ["special_category"]}).classify(text)
    assert [f.value_in(text) for f in found] == expected
