"""Passport detector table: only right after "pas", "pasnummer" or "passport"."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier
from tests.classify.helpers import spans

CASES = [
    ("Mit pasnummer er 203948571", ["203948571"]),
    ("pas nr. 203948571", ["203948571"]),
    ("Kopi af mit pas (nr. 203948571) vedlagt", ["203948571"]),
    ("Her er mit pas: 12AB34567", ["12AB34567"]),
    ("Passport no. C01X00T47, issued in Berlin", ["C01X00T47"]),
    ("passport number: 532871064", ["532871064"]),
    ("My passport number is A12345678.", ["A12345678"]),
    ("PASSPORT 987654321", ["987654321"]),
    # Without passport words a nine-digit number is anything else.
    ("Ordrenummer 203948571", []),
    ("203948571", []),
    ("Kundenummer C01X00T47", []),
    # Other words between the label and the number, and the wrong shapes.
    ("Pas på, ordre 123456789 er forkert", []),
    ("Mit pas udløber 2026", []),
    ("passport expired, order 532871064 refunded", []),
    ("pasnummer 12345678", []),
    ("pasnummer 1234567890", []),
    ("passport ABCDEFGHI", []),
    ("passport 20394857l", []),
    ("Kompas 203948571", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_passport(text: str, expected: list[str]) -> None:
    assert spans("passport", text) == [("passport", e) for e in expected]


def test_category_is_identity() -> None:
    (finding,) = Classifier().classify("Mit pasnummer er 203948571")
    assert (finding.type, finding.category) == ("passport", "identity")
