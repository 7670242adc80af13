"""Incremental verification: resume at the last verified signed checkpoint, and refuse a
resume point that was tampered with."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.audit.checkpoints import checkpoint_if_due
from plugin.audit.verify import ChainError, verify_chain
from plugin.cli.main import cli
from plugin.extensions import db
from tests.audit.helpers import seed, sql


def _head(count: int) -> None:
    seed(count)
    checkpoint_if_due(force=True)
    db.session.commit()


def _verify(app: Flask, **kwargs: bool):  # type: ignore[no-untyped-def]
    result = verify_chain(db.session, app.extensions["datavagt.keyring"], **kwargs)
    db.session.commit()
    return result


@pytest.fixture
def verified(app: Flask) -> Flask:
    """13 events with heads at 5 and 13, fully verified once (remembered), then 4 more."""
    _head(5)
    _head(8)
    assert _verify(app, remember=True).resumed_from is None
    _head(4)
    return app


def test_resumes_after_last_verified_head(verified: Flask) -> None:
    result = _verify(verified, incremental=True, remember=True)
    assert (result.resumed_from, result.events, result.last_seq) == (13, 4, 17)
    seed(2)
    assert _verify(verified, incremental=True).resumed_from == 17


def test_new_events_are_still_checked(verified: Flask) -> None:
    sql("UPDATE audit_events SET field = 'x' WHERE seq = 15")
    with pytest.raises(ChainError, match="seq 15"):
        _verify(verified, incremental=True)


def test_resume_point_changed_is_refused(verified: Flask) -> None:
    sql("UPDATE audit_events SET hash = :h WHERE seq = 13", h="ab" * 32)
    with pytest.raises(ChainError, match="changed or removed since it was verified"):
        _verify(verified, incremental=True)


def test_forged_verification_record_is_refused(verified: Flask) -> None:
    sql("UPDATE audit_verified SET frontier = :f", f='[[16, "' + "cd" * 32 + '"]]')
    with pytest.raises(ChainError, match="differs from what was signed"):
        _verify(verified, incremental=True)
    sql("UPDATE audit_verified SET signature = 'e30.e30.AAAA'")
    with pytest.raises(ChainError, match="last verification record"):
        _verify(verified, incremental=True)


def test_history_before_the_resume_point_needs_a_full_run(verified: Flask) -> None:
    # The trade-off, stated in README: incremental runs do not re-read old events.
    sql("UPDATE audit_events SET field = 'x' WHERE seq = 3")
    assert _verify(verified, incremental=True).resumed_from == 13
    with pytest.raises(ChainError, match="seq 3"):
        _verify(verified)


def test_cli_incremental(
    verified: Flask, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(verified.extensions["datavagt.keyring"].path))
    result = CliRunner().invoke(cli, ["audit", "verify", "--incremental"])
    assert result.exit_code == 0, result.output
    assert "4 events verified (seq 14..17)" in result.output
    assert "resumed after the verified checkpoint at seq 13" in result.output
