"""The fast verification loop (plugin/audit/scan.py) agrees with the exact one: intact logs
of every shape pass without falling back, and a fault always falls back to the exact check
(whose messages tests/audit/test_tamper.py pins)."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.audit import actions, record, verify
from plugin.audit.checkpoints import checkpoint_if_due
from plugin.audit.verify import ChainError, verify_chain
from plugin.extensions import db
from tests.audit.helpers import AGENT, seed, sql

ODD = [
    {"reason": 'quote " backslash \\ slash / tab \t newline \n', "details": {}},
    {"reason": "æøå ÆØÅ ü — ✓ \u2028 \x01", "details": {"ü": "ß", "a": [1, 2.5, None, True]}},
    {"reason": None, "field": None, "details": {"nested": {"z": 1, "b": {"y": [], "x": {}}}}},
    {"reason": "", "field": "", "details": {"big": 2**70, "neg": -3, "f": 1e-07}},
]


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs that fell back to the exact loop."""
    calls: list[int] = []
    exact = verify._exact

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return exact(*args, **kwargs)

    monkeypatch.setattr(verify, "_exact", counted)
    return calls


def _keys(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["datavagt.keyring"]


def test_every_shape_passes_the_fast_loop(app: Flask, no_fallback: list[int]) -> None:
    for index, shape in enumerate(ODD * 3):
        record(actions.VIEW, actor=AGENT, ticket_ref=f"hubspot:{index}", **shape)
    db.session.commit()
    checkpoint_if_due(force=True)
    db.session.commit()
    seed(5)
    result = verify_chain(db.session, _keys(app))
    assert (result.events, result.checkpoints) == (17, 1)
    assert no_fallback == []


@pytest.mark.parametrize("page", [1, 2, 4, 7, 16])
def test_pages_and_signed_heads_inside_them(app: Flask, no_fallback: list[int], page: int) -> None:
    for count in (3, 5, 8, 1):  # signed heads at 3, 8, 16 and 17: inside and at page ends
        seed(count)
        checkpoint_if_due(force=True)
        db.session.commit()
    assert verify_chain(db.session, _keys(app), page).events == 17
    assert no_fallback == []


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_events SET reason = 'x' WHERE seq = 9",
        "UPDATE audit_events SET details = '{\"n\": 1}' WHERE seq = 9",
        "UPDATE audit_events SET vendor_user = NULL WHERE seq = 9",
        "DELETE FROM audit_events WHERE seq = 8",  # at a page end
        "DELETE FROM audit_events WHERE seq = 9",  # at a page start
        "UPDATE audit_events SET hash = prev_hash WHERE seq = 16",  # the last one
    ],
)
def test_faults_fall_back_and_are_named(app: Flask, no_fallback: list[int], tamper: str) -> None:
    seed(8)
    checkpoint_if_due(force=True)
    seed(8)
    checkpoint_if_due(force=True)
    db.session.commit()
    sql(tamper)
    db.session.expire_all()
    with pytest.raises(ChainError):
        verify_chain(db.session, _keys(app), 8)
    assert no_fallback == [1]
