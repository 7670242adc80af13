"""Indirect identifiers: opt-in detector, own low-risk category, only said of a person."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier, DetectorNotFound

CASES = [
    ("Jeg er 34 år og bor i Odense", [("age", "34 år")]),
    ("Min datter på 26 år er allergisk", [("family_relation", "Min datter"), ("age", "26 år")]),
    ("I'm 71, and my husband placed the order", [("age", "71"), ("family_relation", "my husband")]),
    ("Jeg er svensk statsborger", [("nationality", "svensk")]),
    ("I'm 34 years old, Polish, and", [("age", "34 years old"), ("nationality", "Polish")]),
    (
        "I work as a nurse at St Mary's Hospital. Thanks",
        [("profession", "nurse at St Mary's Hospital")],
    ),
    ("jeg arbejder som tømrer hos Byg & Co, og", [("profession", "tømrer hos Byg & Co")]),
    # General talk about ages, relations or countries says nothing about a person.
    ("Polish products are on sale; the shop is 34 metres away", []),
    ("Sons and daughters welcome", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_indirect(text: str, expected: list[tuple[str, str]]) -> None:
    found = Classifier({"enabled": ["indirect"]}).classify(text, lang="auto")
    assert sorted((f.type, f.value_in(text)) for f in found) == sorted(expected)
    assert {f.category for f in found} <= {"indirect"}


def test_indirect_is_off_by_default_and_opt_in_with_extra() -> None:
    text = "My son is 12 years old"
    assert not [f for f in Classifier().classify(text) if f.category == "indirect"]
    found = Classifier({"extra": ["indirect"]}).classify(text)
    assert {(f.type, f.category) for f in found} == {
        ("family_relation", "indirect"),
        ("age", "indirect"),
    }
    with pytest.raises(DetectorNotFound):
        Classifier({"extra": ["nope"]})
