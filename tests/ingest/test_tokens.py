"""Tokens: one table per type; none of them is personal data to the classifier."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier, Hints, html_to_text
from plugin.ingest.rewrite import as_html, render, substitute
from plugin.ingest.tokens import TOKENS, token_for

CASES = [
    ("cpr", "010190-1234", "[CPR ••••••-••34]"),
    ("cpr", "0101901234", "[CPR ••••••-••34]"),
    ("cvr", "12345678", "[CVR ••••••78]"),
    ("email", "jens.hansen@example.com", "[e-mail j•••@example.com]"),
    ("email", " Jens@Example.com ", "[e-mail J•••@Example.com]"),
    ("email", "broken", "[e-mail]"),
    ("phone", "+45 20 12 34 12", "[phone •••• ••12]"),
    ("phone", "20123412", "[phone •••• ••12]"),
    ("phone", "112", "[phone •••• ••••]"),
    ("iban", "DK50 0040 0440 1162 34", "[IBAN DK•• •••• •••• ••34]"),
    ("iban", "DK5000400440116234", "[IBAN DK•• •••• •••• ••34]"),
    ("payment_card", "4111 1111 1111 1234", "[card •••• 1234]"),
    ("payment_card", "4111-1111-1111-1234", "[card •••• 1234]"),
    ("person_name", "Jens Hansen", "[name J••• H•••]"),
    ("person_name", "anne-marie de la cour olsen", "[name A••• M••• D•••]"),
    ("postal_address", "Nørregade 12, 2100 København Ø", "[address •••]"),
    ("date_of_birth", "01-01-1990", "[date of birth ••-••-••••]"),
    ("ip_address", "10.1.2.3", "[IP address •••]"),
    ("bank_account", "1234 0012345634", "[account •••• ••34]"),
    ("bank_account", "1234, kontonr. 12345678", "[account •••• ••78]"),
    ("passport", "123456712", "[passport •••••••12]"),
    ("passport", "C01X00T47", "[passport •••••••47]"),
    ("passport", "AB12", "[passport •••••••••]"),
    ("health", "diabetes", "[health]"),
    ("religion", "muslim", "[special category]"),
    ("trade_union", "3F", "[special category]"),
    ("sexual_orientation", "gay", "[special category]"),
    ("something_new", "x", "[personal data]"),
]


@pytest.mark.parametrize(("kind", "value", "token"), CASES)
def test_token(kind: str, value: str, token: str) -> None:
    assert token_for(kind, value) == token


@pytest.mark.parametrize(("kind", "value", "token"), CASES)
def test_token_reveals_at_most_a_short_tail(kind: str, value: str, token: str) -> None:
    digits = [ch for ch in token if ch.isdigit()]
    assert len(digits) <= 4
    if kind not in ("email",):
        assert value.strip() not in token


def test_every_type_has_a_token() -> None:
    for kind in ("cpr", "email", "phone", "iban", "payment_card", "person_name", "health",
                 "bank_account", "passport"):  # fmt: skip
        assert kind in TOKENS


@pytest.mark.parametrize("lang", ["da", "en"])
def test_classifier_finds_nothing_in_tokens(lang: str) -> None:
    text = "Kunde skrev: " + " og ".join(token for _, _, token in CASES) + "."
    hints = Hints(names=["Jens Hansen"], emails=["jens.hansen@example.com"])
    assert Classifier().classify(text, lang=lang, hints=hints) == []


def test_substitute_right_to_left() -> None:
    text = "Hej, jeg er Jens Hansen, cpr 010190-1234."
    out = substitute(text, [(12, 23, "[name J••• H•••]"), (29, 40, "[CPR ••••••-••34]")])
    assert out == "Hej, jeg er [name J••• H•••], cpr [CPR ••••••-••34]."


@pytest.mark.parametrize(
    "text",
    ["one line", "first\n\nsecond <b>&amp;</b>\nthird", "a\nb\n\nc", "x < y & z > w"],
)
def test_html_round_trip(text: str) -> None:
    html = as_html(text)
    assert "<b>" not in html
    assert html_to_text(html) == text
    assert render(text, False) == text


def test_every_classifier_type_has_its_own_token() -> None:
    from plugin.classify.detectors import default_detectors
    from plugin.classify.detectors.special_category import SPECIAL_TYPES

    kinds = {d.entity_type for d in default_detectors()} | set(SPECIAL_TYPES)
    assert kinds - set(TOKENS) == set()
