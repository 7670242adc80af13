"""CVR detector table: modulus 11 plus context."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("Vores CVR-nr. er 72494814.", ["72494814"]),
    ("CVR: 87 03 30 82", ["87 03 30 82"]),
    ("momsnummer DK47511488", ["DK47511488"]),
    ("enkeltmandsvirksomhed, CVR 62269391", ["62269391"]),
    ("CVR-nr. 72494815", []),  # bad check digit
    ("Kundenummer 87033082", []),  # valid checksum but nothing says CVR
    ("cvr 1234567", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cvr(text: str, expected: list[str]) -> None:
    assert spans("cvr", text) == [("cvr", e) for e in expected]
