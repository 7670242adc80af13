"""Requester detector table: hinted names and e-mails are found wherever they occur."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier, Hints
from tests.classify.helpers import spans

HINTS = Hints(names=["Jens Hansen"], emails=["jens.h@example.dk"])

CASES = [
    ("Jens Hansen ringede i går", [("person_name", "Jens Hansen")]),
    ("Kan Jens få en kopi?", [("person_name", "Jens")]),
    ("Skriv til JENS.H@example.dk", [("email", "JENS.H@example.dk")]),
    ("Hr. Hansen har betalt", [("person_name", "Hansen")]),
    ("jens is lower case here, and Jensen is someone else", []),
    ("Jens\nHansen", [("person_name", "Jens\nHansen")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_requester(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans("requester", text, hints=HINTS) == expected


def test_no_hints_no_findings() -> None:
    assert spans("requester", "Jens Hansen") == []


def test_lone_string_hint_is_one_name() -> None:
    assert Hints(names="Per Holm").names == ("Per Holm",)  # type: ignore[arg-type]
    assert spans("requester", "Per Holm og per stk.", hints=Hints(names=["Per Holm"])) == [
        ("person_name", "Per Holm")
    ]


def test_hint_beats_lexicon_finding_in_the_full_classifier() -> None:
    text = "Med venlig hilsen\nJens Hansen"
    (finding,) = Classifier().classify(text, hints=HINTS)
    assert finding.detector == "requester"
    assert finding.value_in(text) == "Jens Hansen"
