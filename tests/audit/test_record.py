"""``record``: chained events in the caller's transaction, vocabulary and details guard."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.audit import actions, record
from plugin.audit.canonical import GENESIS_HASH, event_hash, row_content
from plugin.auth import Actor
from plugin.extensions import db
from plugin.models import AuditEvent

AGENT = Actor(id="agent-1", role="agent", vendor="hubspot", vendor_user="hs-42")


def _chained() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq)))


def test_events_chain_from_genesis(app: Flask) -> None:
    record(actions.VIEW, actor=AGENT, ticket_ref="hubspot:123", field="body")
    record(actions.REVEAL, actor=AGENT, subject_id="s-1", reason="customer asked")
    db.session.commit()
    first, second = _chained()
    assert (first.seq, second.seq) == (1, 2)
    assert (first.action, second.action) == ("view", "reveal")
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    for event in (first, second):
        assert event.hash == event_hash(row_content(event), event.prev_hash)
    assert first.vendor_user == "hs-42" and first.actor_role == "agent"
    assert first.source == "api"


def test_caller_rollback_discards_event_without_gap(app: Flask) -> None:
    record(actions.VIEW, actor=AGENT)
    db.session.commit()
    record(actions.ERASE, actor=AGENT, subject_id="s-1")
    db.session.rollback()
    record(actions.EXPORT, actor=AGENT, subject_id="s-1")
    db.session.commit()
    assert [(e.seq, e.action) for e in _chained()] == [(1, "view"), (2, "export")]


def test_request_id_taken_from_request(app: Flask) -> None:
    with app.test_request_context("/", headers={"X-Request-Id": "req-abc"}):
        app.preprocess_request()
        record(actions.VIEW, actor=AGENT)
    db.session.commit()
    assert _chained()[0].request_id == "req-abc"


@pytest.mark.parametrize(
    "details",
    [
        {"to": "jane@example.com"},
        {"cpr": "010190-1234"},
        {"nested": {"list": ["ok", "0101901234"]}},
        {"jane@example.com": 1},
        {"number": 2512901234},
    ],
)
def test_personal_data_in_details_refused(app: Flask, details: dict) -> None:
    with pytest.raises(ValueError, match="personal data") as caught:
        record(actions.EXPORT, actor=AGENT, details=details)
    assert "example.com" not in str(caught.value) and "1234" not in str(caught.value)


def test_unknown_action_and_bad_ticket_ref_refused(app: Flask) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record("peek", actor=AGENT)
    with pytest.raises(ValueError, match="ticket_ref"):
        record(actions.VIEW, actor=AGENT, ticket_ref="no-vendor")


def test_failed_flush_propagates(app: Flask) -> None:
    # actor_id is NOT NULL on both backends: the flush fails inside record().
    broken = Actor(id=None, role="agent")  # type: ignore[arg-type]
    with pytest.raises(Exception) as caught:  # noqa: B017  (the driver's error type)
        record(actions.VIEW, actor=broken)
    assert "IntegrityError" in type(caught.value).__name__
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 0
