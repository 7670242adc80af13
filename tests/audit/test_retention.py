"""Pruning the log keeps it verifiable (signed anchor) and is itself audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from plugin.audit import actions
from plugin.audit.queries import accessed_by
from plugin.audit.retention import cutoff_for, prune
from plugin.audit.verify import ChainError, verify_chain
from plugin.auth import Actor
from plugin.extensions import db
from plugin.models import AuditCheckpoint, AuditEvent
from plugin.models.types import utcnow
from tests.audit.helpers import seed, sql

ADMIN = Actor(id="admin-1", role="admin", source="cli")


def _keys(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["datavagt.keyring"]


def test_prune_oldest_then_verify_passes(app: Flask) -> None:
    seed(12)
    fifth = db.session.scalar(db.select(AuditEvent.occurred_at).where(AuditEvent.seq == 5))
    now = fifth.replace(year=fifth.year + 5) + timedelta(microseconds=1)
    result = prune(ADMIN, now=now, chunk=2)
    assert (result.through_seq, result.deleted) == (5, 5)
    db.session.expire_all()
    seqs = db.session.scalars(db.select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == [6, 7, 8, 9, 10, 11, 12, 13]
    pruned = db.session.scalar(db.select(AuditEvent).where(AuditEvent.seq == 13))
    assert pruned.action == actions.RETENTION_DELETE and pruned.details["through_seq"] == 5
    anchor = db.session.scalar(db.select(AuditCheckpoint).where(AuditCheckpoint.seq == 5))
    assert anchor.is_anchor
    assert verify_chain(db.session, _keys(app)).events == 8
    seed(2)
    assert verify_chain(db.session, _keys(app)).last_seq == 15


def test_prune_everything_then_append(app: Flask) -> None:
    seed(3)
    result = prune(ADMIN, now=utcnow().replace(year=utcnow().year + 6))
    assert result.deleted == 3
    assert verify_chain(db.session, _keys(app)).first_seq == 4


def test_unsigned_anchor_flag_does_not_hide_deletion(app: Flask) -> None:
    seed(6)
    prune(ADMIN, now=utcnow().replace(year=utcnow().year + 6))
    seed(3)  # seq 7 is the prune event; 8..10 follow
    sql("DELETE FROM audit_events WHERE seq <= 8")  # beyond the anchor at 6
    with pytest.raises(ChainError, match="no signed anchor"):
        verify_chain(db.session, _keys(app))


def test_prune_refuses_a_broken_chain(app: Flask) -> None:
    seed(4)
    sql("UPDATE audit_events SET reason = 'x' WHERE seq = 2")
    with pytest.raises(ChainError):
        prune(ADMIN, now=utcnow().replace(year=utcnow().year + 6))
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 4


def test_dry_run_deletes_nothing(app: Flask) -> None:
    seed(3)
    result = prune(ADMIN, now=utcnow().replace(year=utcnow().year + 6), dry_run=True)
    assert (result.through_seq, result.deleted) == (3, 3)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 3


def test_cutoff_on_leap_day() -> None:
    moment = utcnow().replace(year=2028, month=2, day=29)
    assert cutoff_for(moment, 5).date().isoformat() == "2023-02-28"


def test_accessed_by_lists_who_did_what(app: Flask) -> None:
    seed(4)
    rows = accessed_by("s-1")
    assert rows == [
        {
            "agent": "agent-1",
            "role": "agent",
            "vendor_user": "hs-42",
            "action": "view",
            "at": rows[0]["at"],
            "field": None,
            "reason": None,
        }
    ]
    assert accessed_by("nobody") == []
