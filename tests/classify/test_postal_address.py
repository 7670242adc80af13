"""Postal address detector table: Danish, British and US forms."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    (
        "Jeg bor på Nørrebrogade 12, 2. tv, 2200 København N.",
        ["Nørrebrogade 12, 2. tv, 2200 København N"],
    ),
    (
        "Peter Bangs Vej 30 st. th.\n2000 Frederiksberg",
        ["Peter Bangs Vej 30 st. th.\n2000 Frederiksberg"],
    ),
    (
        "H.C. Andersens Boulevard 27, 1553 København V",
        ["H.C. Andersens Boulevard 27, 1553 København V"],
    ),
    ("Vestergade 4B\n8000 Aarhus C", ["Vestergade 4B\n8000 Aarhus C"]),
    ("send it to 221B Baker Street, London NW1 6XE please", ["221B Baker Street, London NW1 6XE"]),
    ("14 Church Lane, Oxford, OX1 2AB", ["14 Church Lane, Oxford, OX1 2AB"]),
    ("at 123 Main St, Springfield, IL 62704 now", ["123 Main St, Springfield, IL 62704"]),
    ("Ordre 2024 Levering i morgen", []),
    ("Vi har 2200 kunder i København", []),
    ("Order 12345 ships from GB 12345", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_postal_address(text: str, expected: list[str]) -> None:
    assert spans("postal_address", text) == [("postal_address", e) for e in expected]
