"""National id detector table: SSN, NINO, personnummer, fødselsnummer, Steuer-ID."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("SSN 536-90-4399 on file", "us_ssn", ["536-90-4399"]),
    ("social security number 536 90 4399", "us_ssn", ["536 90 4399"]),
    # The Woolworth wallet-card number: stdnum knows it was never anyone's.
    ("SSN 078-05-1120 on file", "us_ssn", []),
    ("SSN 666-12-3456 is never issued", "us_ssn", []),
    ("my NI number is QQ 12 34 56 C", "uk_nino", []),  # QQ: no Q allowed
    ("my NI number is AB 12 34 56 C", "uk_nino", ["AB 12 34 56 C"]),
    ("NINO AB123456C thanks", "uk_nino", ["AB123456C"]),
    ("NINO GB123456A is not issued", "uk_nino", []),
    ("personnummer 811228-9874", "se_personnummer", ["811228-9874"]),
    ("personnummer 19811228-9874", "se_personnummer", ["19811228-9874"]),
    ("personnummer 811228-9875", "se_personnummer", []),  # check digit
    ("fødselsnummer 15108695088", "no_fodselsnummer", ["15108695088"]),
    ("fødselsnummer 15108695077", "no_fodselsnummer", []),
    ("Steuer-ID 36 574 261 809", "de_steuer_id", ["36 574 261 809"]),
    ("Steuer-ID 36574261809", "de_steuer_id", ["36574261809"]),
    ("Steuer-ID 36574261808", "de_steuer_id", []),
]


@pytest.mark.parametrize(("text", "kind", "expected"), CASES)
def test_national_id(text: str, kind: str, expected: list[str]) -> None:
    found = [s for s in spans("national_id", text, lang="en") if s[0] == kind]
    assert found == [(kind, e) for e in expected]


def test_order_label_lowers_a_bare_steuer_id_below_the_threshold() -> None:
    assert spans("national_id", "Order 36574261809 shipped", lang="en") == []
