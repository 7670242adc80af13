"""Date-of-birth detector table: a birth context is required."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("Jeg er født 12.03.1985 i Odense", ["12.03.1985"]),
    ("Fødselsdato: 1985-03-12", ["1985-03-12"]),
    ("født den 3. maj 1941", ["3. maj 1941"]),
    ("DOB 14/02/1986", ["14/02/1986"]),
    ("Date of birth: 12 March 1979", ["12 March 1979"]),
    ("I was born on March 12, 1979.", ["March 12, 1979"]),
    ("Leveret 12.03.2024", []),
    ("Meeting on 12/03/1985 was cancelled", []),
    ("My date of birth? It's on file. Meeting on 12/03/1985", []),
    ("Født d. 3. maj 1941", ["3. maj 1941"]),
    ("født 31.02.1985", []),  # no such date
    ("born 01.01.2999", []),  # in the future
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_date_of_birth(text: str, expected: list[str]) -> None:
    assert spans("date_of_birth", text) == [("date_of_birth", e) for e in expected]
