"""Danish bank account detector table: reg. nr. + konto nr., only with bank-account words."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier
from tests.classify.helpers import spans

CASES = [
    ("Kontonr. 1234 0012345678 er registreret", ["1234 0012345678"]),
    ("Reg.nr. 1234 kontonr. 0012345678", ["1234 kontonr. 0012345678"]),
    ("reg. nr.: 1234, konto nr.: 12345678", ["1234, konto nr.: 12345678"]),
    ("Beløbet skal på min konto 1234-0012345678.", ["1234-0012345678"]),
    ("Reg 1234 - 0012345678 tak", ["1234 - 0012345678"]),
    ("Registreringsnummer 9570 og kontonummer 1234567", ["9570 og kontonummer 1234567"]),
    ("My bank account: 1234 12345678", ["1234 12345678"]),
    ("Account number 5301 0000123456 (Jyske Bank)", ["5301 0000123456"]),
    # No bank-account words: order, invoice and reference numbers of the same shape.
    ("Ordre 1234 0012345678 er afsendt", []),
    ("Faktura 2024-0012345678 betalt", []),
    ("1234 0012345678", []),
    # The wrong shapes, even with context.
    ("Kontonr. 12345 0012345678", []),
    ("Konto 1234 12345678901", []),
    ("Reg.nr. 1234, konto nr. 12-34-56-78", []),
    ("Kundekonto 40123456 (8 cifre)", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_bank_account(text: str, expected: list[str]) -> None:
    assert spans("bank_account", text) == [("bank_account", e) for e in expected]


def test_category_is_financial_and_it_beats_a_phone_reading() -> None:
    text = "Reg.nr. 1234 kontonr. 20123456"
    (finding,) = Classifier().classify(text)
    assert (finding.type, finding.category) == ("bank_account", "financial")
    assert finding.value_in(text) == "1234 kontonr. 20123456"
