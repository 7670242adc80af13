"""CPR detector table: date validity with the century table, modulus 11, context."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier
from tests.classify.helpers import spans

CASES = [
    ("Mit CPR-nummer er 150372-1003.", ["150372-1003"]),
    ("cpr 1503721003", ["1503721003"]),
    # No modulus-11 check digit (issued since 2007) but a valid date and context: found.
    ("personnummer: 120610-4123", ["120610-4123"]),
    ("cpr-nr. 070707 1001", ["070707 1001"]),
    ("Hendes personnummer er 0305414123", ["0305414123"]),
    ("Kunden oplyste 280891-1003 i telefonen", ["280891-1003"]),
    # Impossible dates are never CPR numbers.
    ("cpr 320190-1234", []),
    ("cpr 151390-1234", []),
    ("cpr 290201-4123", []),  # 2001 was no leap year
    # Longer digit runs, order numbers and non-check-digit runs without context.
    ("Ordrenummer 1203851234 er sendt", []),
    ("ref 12038512345", []),
    ("ID 9912311234", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cpr(text: str, expected: list[str]) -> None:
    assert spans("cpr", text) == [("cpr", e) for e in expected]


def test_modulus_11_and_context_raise_the_score() -> None:
    classifier = Classifier({"enabled": ["cpr"]})
    (without_check,) = classifier.classify("Nummer 120610-4123 her")
    (with_check,) = classifier.classify("Nummer 150372-1003 her")
    (with_context,) = classifier.classify("CPR 150372-1003 her")
    assert without_check.score < with_check.score < with_context.score
    assert with_context.category == "identity"
