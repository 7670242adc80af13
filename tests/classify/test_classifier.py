"""Classifier behaviour across detectors: overlap resolution, language, the public API."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier, Finding, detect_language
from plugin.classify.overlap import resolve_overlaps


def f(kind: str, start: int, end: int, score: float, category: str = "identity") -> Finding:
    return Finding(kind, category, start, end, score, kind)


def test_higher_score_wins_an_overlap() -> None:
    kept = resolve_overlaps([f("phone", 0, 10, 0.6, "contact"), f("cpr", 0, 11, 0.9)])
    assert [k.type for k in kept] == ["cpr"]


def test_specificity_breaks_score_ties() -> None:
    kept = resolve_overlaps(
        [f("person_name", 0, 20, 0.9), f("postal_address", 0, 30, 0.9, "location")]
    )
    assert [k.type for k in kept] == ["postal_address"]


def test_disjoint_findings_all_stay_in_order() -> None:
    kept = resolve_overlaps([f("b", 10, 12, 0.5), f("a", 0, 5, 0.5), f("c", 5, 10, 0.5)])
    assert [(k.start, k.end) for k in kept] == [(0, 5), (5, 10), (10, 12)]


def test_a_chain_of_overlaps_keeps_the_best_and_its_free_neighbours() -> None:
    kept = resolve_overlaps([f("a", 0, 5, 0.6), f("b", 4, 9, 0.9), f("c", 8, 12, 0.6)])
    assert [k.type for k in kept] == ["b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A card number is also a valid-looking digit run; the card wins over a phone.
        ("kort 4111 1111 1111 1111", [("payment_card", "4111 1111 1111 1111")]),
        # A CPR inside an e-mail-like run is not split out of a longer digit run.
        ("ref 1503721003999 cpr", []),
        ("cpr 150372-1003", [("cpr", "150372-1003")]),
        # A CVR with context beats the same digits read as a phone number.
        ("CVR 72494814", [("cvr", "72494814")]),
        # The address wins over the name inside it.
        (
            "Send til Peter Bangs Vej 30, 2000 Frederiksberg",
            [("postal_address", "Peter Bangs Vej 30, 2000 Frederiksberg")],
        ),
    ],
)
def test_overlaps_in_the_full_classifier(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(x.type, x.value_in(text)) for x in Classifier().classify(text)] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hej, jeg har ikke modtaget min ordre. Mvh Jens", "da"),
        ("Hi, I have not received my order. Thanks, John", "en"),
        ("Tak", "da"),
        ("", "da"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_findings_carry_the_documented_fields() -> None:
    text = "Mit cpr er 150372-1003"
    (finding,) = Classifier().classify(text)
    assert finding.to_dict() == {
        "type": "cpr",
        "category": "identity",
        "start": 11,
        "end": 22,
        "score": finding.score,
        "detector": "cpr",
    }
    assert finding.to_dict(text)["value"] == "150372-1003"
    with pytest.raises(AttributeError):
        finding.start = 0  # type: ignore[misc]
