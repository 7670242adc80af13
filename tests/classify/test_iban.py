"""IBAN detector table: with and without spaces, check digits."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("refund to dk50 0040 0440 1162 43 please", ["dk50 0040 0440 1162 43"]),
    ("refund to gb82west12345698765432.", ["gb82west12345698765432"]),
    ("x DK50 0040 0440 1162 44 x", []),  # check digits fail
    ("Konto DK50 0040 0440 1162 43 tak", ["DK50 0040 0440 1162 43"]),
    ("IBAN: DK5000400440116243.", ["DK5000400440116243"]),
    ("to GB82 WEST 1234 5698 7654 32, ref 1", ["GB82 WEST 1234 5698 7654 32"]),
    ("DE89370400440532013000 and NO9386011117947", ["DE89370400440532013000", "NO9386011117947"]),
    ("betal til DK5000400440116243 Tak", ["DK5000400440116243"]),
    ("wrong check DK51 0040 0440 1162 43", []),
    ("model SM-S911B serial R5CT12345678", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_iban(text: str, expected: list[str]) -> None:
    assert spans("iban", text) == [("iban", e) for e in expected]
