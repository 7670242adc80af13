"""The masking renderer: partial values, hidden types, erased values."""

from __future__ import annotations

import pytest

from plugin.access.render import partial, render_finding
from plugin.models import Finding


@pytest.mark.parametrize(
    ("value", "keep", "expected"),
    [
        ("010190-1234", 2, "••••••-••34"),
        ("+45 20 30 40 50", 2, "+•• •• •• •• 50"),
        ("jens@example.dk", 2, "••••@•••••••.dk"),
        ("ab", 4, "ab"),
        ("", 2, ""),
    ],
)
def test_partial(value: str, keep: int, expected: str) -> None:
    assert partial(value, keep) == expected


def _finding() -> Finding:
    return Finding(id=7, field="description", type="health", category="special", masked="[HEALTH]")


def test_hidden_omits_the_type_and_never_decrypts() -> None:
    def explode(_: Finding) -> str:
        raise AssertionError("hidden must not decrypt")

    out = render_finding(_finding(), "hidden", keep=2, decrypt=explode)
    assert out["display"] == "[hidden]" and "type" not in out and out["revealable"] is False


def test_masked_and_reveal_with_reason_show_the_token_only() -> None:
    def explode(_: Finding) -> str:
        raise AssertionError("masked must not decrypt")

    for level in ("masked", "reveal_with_reason"):
        out = render_finding(_finding(), level, keep=2, decrypt=explode)
        assert out["display"] == "[HEALTH]"
        assert out["revealable"] is (level == "reveal_with_reason")


def test_clear_and_erased() -> None:
    assert render_finding(_finding(), "clear", keep=2, decrypt=lambda f: "asthma")["display"] == (
        "asthma"
    )
    assert render_finding(_finding(), "partial", keep=2, decrypt=lambda f: None)["display"] == (
        "[erased]"
    )
