"""Tampering with the stored trail is detected and the first bad event is named."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from plugin.audit.canonical import event_hash, row_content
from plugin.audit.checkpoints import checkpoint_if_due
from plugin.audit.verify import ChainError, verify_chain
from plugin.extensions import db
from plugin.models import AuditEvent
from tests.audit.helpers import seed, sql


def _verify(app: Flask) -> object:
    db.session.expire_all()
    return verify_chain(db.session, app.extensions["datavagt.keyring"], page_size=3)


def _broken_at(app: Flask) -> str:
    with pytest.raises(ChainError) as caught:
        _verify(app)
    return str(caught.value)


def test_intact_chain_verifies_across_pages(app: Flask) -> None:
    seed(10)
    result = _verify(app)
    assert (result.events, result.first_seq, result.last_seq) == (10, 1, 10)


def test_edited_event_named(app: Flask) -> None:
    seed(10)
    sql("UPDATE audit_events SET reason = 'covered up' WHERE seq = 4")
    assert re.match(r"event seq 4 \(id \d+\): hash does not match its content", _broken_at(app))


def test_edited_and_rehashed_event_caught_by_next_link(app: Flask) -> None:
    seed(10)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.seq == 4))
    content = row_content(event) | {"actor_id": "someone-else"}
    sql(
        "UPDATE audit_events SET actor_id = 'someone-else', hash = :h WHERE seq = 4",
        h=event_hash(content, event.prev_hash),
    )
    assert _broken_at(app).startswith("event seq 5 ")
    assert "prev_hash does not match event seq 4" in _broken_at(app)


def test_deleted_event_named(app: Flask) -> None:
    seed(10)
    sql("DELETE FROM audit_events WHERE seq = 6")
    assert "event seq 7" in _broken_at(app) and "expected seq 6" in _broken_at(app)


def test_deleted_first_events_need_an_anchor(app: Flask) -> None:
    seed(10)
    sql("DELETE FROM audit_events WHERE seq <= 3")
    assert "event seq 4" in _broken_at(app) and "no signed anchor" in _broken_at(app)


def test_deleted_tail_caught_by_checkpoint(app: Flask) -> None:
    seed(10)
    checkpoint_if_due(force=True)
    db.session.commit()
    sql("DELETE FROM audit_events WHERE seq >= 9")
    message = _broken_at(app)
    assert message.startswith("checkpoint at seq 10") and "ends at seq 8" in message


def test_inserted_event_named(app: Flask) -> None:
    seed(10)
    # Make room after seq 5 and insert a forged event with a correctly computed hash.
    sql("UPDATE audit_events SET seq = -seq WHERE seq > 5")
    sql("UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0")
    prev = db.session.scalar(db.select(AuditEvent.hash).where(AuditEvent.seq == 5))
    content = {
        "seq": 6,
        "occurred_at": "2020-01-01T00:00:00.000000Z",
        "actor_id": "ghost",
        "action": "view",
        "source": "api",
        "details": {},
    }
    sql(
        "INSERT INTO audit_events (seq, occurred_at, actor_id, action, source, details, "
        "prev_hash, hash) VALUES (6, '2020-01-01 00:00:00', 'ghost', 'view', 'api', '{}', "
        ":prev, :h)",
        prev=prev,
        h=event_hash(content, prev),
    )
    # The forged event may hash as intended, but the shifted event after it can't.
    assert re.match(r"event seq [67] \(id \d+\): ", _broken_at(app))


def test_appended_forgery_with_bad_hash_named(app: Flask) -> None:
    seed(5)
    sql(
        "INSERT INTO audit_events (seq, occurred_at, actor_id, action, source, details, "
        "prev_hash, hash) VALUES (6, '2020-01-01 00:00:00', 'ghost', 'view', 'api', '{}', "
        "'x', 'y')"
    )
    assert _broken_at(app).startswith("event seq 6 ")


def test_reordered_events_named(app: Flask) -> None:
    seed(10)
    sql("UPDATE audit_events SET seq = -1 WHERE seq = 3")
    sql("UPDATE audit_events SET seq = 3 WHERE seq = 7")
    sql("UPDATE audit_events SET seq = 7 WHERE seq = -1")
    message = _broken_at(app)
    assert message.startswith("event seq 3 ") and "prev_hash does not match" in message


def test_forged_checkpoint_named(app: Flask) -> None:
    seed(5)
    checkpoint = checkpoint_if_due(force=True)
    db.session.commit()
    sql("UPDATE audit_checkpoints SET head_hash = :h WHERE seq = 5", h="f" * 64)
    assert _broken_at(app).startswith(f"checkpoint at seq 5 (id {checkpoint.id})")


def test_checkpoint_signature_swapped_refused(app: Flask) -> None:
    seed(5)
    first = checkpoint_if_due(force=True)
    db.session.commit()
    seed(1)
    checkpoint_if_due(force=True)
    db.session.commit()
    sql("UPDATE audit_checkpoints SET signature = :s WHERE seq = 6", s=first.signature)
    assert _broken_at(app).startswith("checkpoint at seq 6")


def test_every_nth_event_is_checkpointed(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    with app.app_context():
        app.extensions["datavagt.manifest"].data["audit"]["checkpoint_every_events"] = 4
        seed(9)
        seqs = db.session.scalars(db.text("SELECT seq FROM audit_checkpoints ORDER BY seq"))
        assert list(seqs) == [4, 8]
        assert _verify(app).checkpoints == 2
