"""Payment card detector table: Luhn, issuer prefixes, separators."""

from __future__ import annotations

import pytest

from plugin.classify.detectors.payment_card import issuer
from tests.classify.helpers import spans

CASES = [
    ("Kort 4111 1111 1111 1111 udløber 04/27", ["4111 1111 1111 1111"]),
    ("card 4111-1111-1111-1111", ["4111-1111-1111-1111"]),
    ("Mastercard 5500000000000004", ["5500000000000004"]),
    ("amex 3782 822463 10005", ["3782 822463 10005"]),
    ("Dankort 5019 1234 5678 9013", ["5019 1234 5678 9013"]),
    ("Visa/Dankort 4571 1234 5678 9016", ["4571 1234 5678 9016"]),
    ("kort 4111 1111 1111 1112", []),  # Luhn fails
    ("Tracking 9405511899223197428490", []),
    ("EAN 5701234567892", []),
    ("mixed 4111 1111-1111 1111", []),
    ("ordre 4000123412341234 er sendt", []),  # Luhn-valid, but an order number
    # Schemes beyond Visa/Mastercard: Diners 14, JCB, UnionPay 19, Maestro 12.
    ("card 3056 9309 0259 04 thanks", ["3056 9309 0259 04"]),
    ("card 30569309025904 thanks", ["30569309025904"]),
    ("JCB 3530 1113 3330 0000", ["3530 1113 3330 0000"]),
    ("UnionPay 6212345678901265", ["6212345678901265"]),
    ("Maestro 5794 1724 4822", ["5794 1724 4822"]),  # 12 digits, grouped 4-4-4
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_payment_card(text: str, expected: list[str]) -> None:
    assert spans("payment_card", text) == [("payment_card", e) for e in expected]


@pytest.mark.parametrize(
    ("digits", "scheme"),
    [
        ("4111111111111111", "visa"),
        ("5019123456789013", "dankort"),
        ("4571123456789016", "dankort"),
        ("5500000000000004", "mastercard"),
        ("2221000000000009", "mastercard"),
        ("378282246310005", "amex"),
        ("1234567812345670", None),
        ("30569309025904", "diners"),
        ("36227206271667", "diners"),
        ("3530111333300000", "jcb"),
        ("6212345678901265", "unionpay"),
        ("6212345678901232", "unionpay"),
        ("6759649826438453", "maestro"),
        ("501800000009", "maestro"),
    ],
)
def test_issuer(digits: str, scheme: str | None) -> None:
    assert issuer(digits) == scheme
