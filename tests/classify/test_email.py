"""E-mail detector table."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("Skriv til jens.hansen@example.dk tak", ["jens.hansen@example.dk"]),
    ("mail: Mette_H+support@sub.firma.co.uk.", ["Mette_H+support@sub.firma.co.uk"]),
    ("søren@blåbær.dk og o'brien@example.ie", ["søren@blåbær.dk", "o'brien@example.ie"]),
    ("<a.b@c.io>", ["a.b@c.io"]),
    ("not an address: user@localhost or @handle or a@b", []),
    ("double dot: jens..hansen@example.dk", []),
    ("price 10@20.5 kr", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_email(text: str, expected: list[str]) -> None:
    assert spans("email", text) == [("email", e) for e in expected]
