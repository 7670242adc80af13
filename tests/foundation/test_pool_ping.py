"""PostgreSQL pool: a connection reused at once is not pinged, an idle one that died is replaced."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin import database
from plugin.extensions import db


@pytest.fixture
def pg_app(app: Flask) -> Flask:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the idle ping replaces pool_pre_ping on PostgreSQL only")
    return app


def _pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    real = db.engine.dialect.do_ping

    def counting(dbapi_connection: object) -> bool:
        seen.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counting)
    return seen


def test_busy_connection_is_not_pinged(pg_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db.engine.pool._pre_ping is False
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    pings = _pings(monkeypatch)
    for _ in range(5):
        assert db.session.scalar(sa.text("SELECT 1")) == 1
        db.session.commit()
    assert pings == []  # each checkout came within the idle bound: no extra round trip


def test_idle_dead_connection_is_replaced(pg_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
        db.session.commit()  # the first connection back in the pool, idle
        # From a second connection: kill the pooled one's backend.
        assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    monkeypatch.setattr(database, "PING_IDLE_SECONDS", 0.0)
    time.sleep(0.05)
    pings = _pings(monkeypatch)
    # Every pooled connection is now idle beyond the bound: pinged, the dead one replaced.
    assert db.session.scalar(sa.text("SELECT 1")) == 1
    assert db.session.scalar(sa.text("SELECT pg_backend_pid()")) != pid
    db.session.commit()
    assert pings
