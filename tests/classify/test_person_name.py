"""Person-name detector table: lexicon pairs, greeting and signature context, false friends."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("Hej Mette,\n\ntak for svaret", ["Mette"]),
    ("Dear John,\nthanks", ["John"]),
    ("Med venlig hilsen\nJens Hansen", ["Jens Hansen"]),
    ("Best regards, Sarah Miller", ["Sarah Miller"]),
    ("Mvh. Peter", ["Peter"]),
    ("Mit navn er Kirsten Sørensen og jeg", ["Kirsten Sørensen"]),
    ("My name is Oliver Bennett, date", ["Oliver Bennett"]),
    ("Jeg hedder Zacharias Ølgaard", ["Zacharias Ølgaard"]),  # unknown, but introduced
    ("Min kollega Søren Vestergaard hjalp mig", ["Søren Vestergaard"]),
    ("I spoke to Emily Clarke yesterday", ["Emily Clarke"]),
    ("Anne-Marie Kjær ringede", ["Anne-Marie Kjær"]),
    ("Agent Camilla: Hej!", ["Camilla"]),
    ("Tak for hjælpen!\nMvh\nAnne-Marie Kjærsgaard", ["Anne-Marie Kjærsgaard"]),
    # Capitalised common words and names used as words.
    ("Hope you are well. Bill me later and Mark the parcel.", []),
    ("Hans ordre er forsinket. Per stk. 49 kr.", []),
    ("Thanks. Looking forward to it", []),
    ("Hi Team, any news?", []),
    ("Kind regards\nCustomer Service", []),
    ("Mark Street branch, 4th floor", []),
    ("Grace Period ends soon", []),
    ("Til København i morgen", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_person_name(text: str, expected: list[str]) -> None:
    assert spans("person_name", text) == [("person_name", e) for e in expected]
