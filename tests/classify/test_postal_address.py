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
    # Street lines without a postcode, Danish floor and side, other countries.
    ("Pakken skal sendes til Baldersgade 133, 4. mf. i stedet", ["Baldersgade 133, 4. mf."]),
    ("Jeg bor på Lille Strandgade 152, st. tv.", ["Lille Strandgade 152, st. tv."]),
    ("Kan I sende den til Sætersdalvej 18, 1.th?", ["Sætersdalvej 18, 1.th"]),
    ("Lundedals Allé 136, 1. sal", ["Lundedals Allé 136, 1. sal"]),
    ("Ferringvej 159 3 tv, 4403 Ringsted", ["Ferringvej 159 3 tv, 4403 Ringsted"]),
    ("My address: 749 Baker Circles. The courier", ["749 Baker Circles"]),
    ("Flat 3, Amanda Ridges, please", ["Flat 3, Amanda Ridges"]),
    ("Marga-Tröst-Straße 133, 93074 Querfurt.", ["Marga-Tröst-Straße 133, 93074 Querfurt"]),
    ("Bäckgatan 9, 94397 Uppsala", ["Bäckgatan 9, 94397 Uppsala"]),
    ("Address 59, rue Besson, 48911 Turpindan.", ["59, rue Besson, 48911 Turpindan"]),
    ("We have 3 Main reasons", []),
    ("I was there during 10 days", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_postal_address(text: str, expected: list[str]) -> None:
    assert spans("postal_address", text) == [("postal_address", e) for e in expected]
