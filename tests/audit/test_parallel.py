"""Parallel verification agrees with the sequential one, and every fault still names the
first bad item the way ``verify_chain`` does."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.audit.checkpoints import checkpoint_if_due
from plugin.audit.parallel import verify_parallel
from plugin.audit.verify import ChainError, verify_chain
from plugin.extensions import db
from tests.audit.helpers import seed, sql


@pytest.fixture
def logged(app: Flask) -> Flask:
    """60 events, signed heads at 25 and 60."""
    seed(25)
    checkpoint_if_due(force=True)
    seed(35)
    checkpoint_if_due(force=True)
    db.session.commit()
    return app


def _parallel(app: Flask, database_url: str):  # type: ignore[no-untyped-def]
    keys = app.extensions["datavagt.keyring"]
    return verify_parallel(db.session, keys, database_url, workers=3, min_per_worker=10)


def _message(app: Flask) -> str:
    with pytest.raises(ChainError) as caught:
        verify_chain(db.session, app.extensions["datavagt.keyring"])
    return str(caught.value)


def test_agrees_with_sequential(logged: Flask, database_url: str) -> None:
    result = _parallel(logged, database_url)
    assert (result.events, result.checkpoints, result.last_seq) == (60, 2, 60)


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_events SET field = 'x' WHERE seq = 41",  # edit, in the third range
        "DELETE FROM audit_events WHERE seq = 20",  # delete at a range boundary
        "UPDATE audit_events SET prev_hash = hash WHERE seq = 21",  # broken link
        "UPDATE audit_checkpoints SET root_hash = '" + "ab" * 32 + "' WHERE seq = 25",
        "DELETE FROM audit_events WHERE seq > 58",  # truncated below a signed head
    ],
)
def test_faults_reported_like_sequential(logged: Flask, database_url: str, tamper: str) -> None:
    sql(tamper)
    expected = _message(logged)
    with pytest.raises(ChainError) as caught:
        _parallel(logged, database_url)
    assert str(caught.value) == expected


def test_cli_workers_option(
    logged: Flask, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from plugin.cli.main import cli

    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(logged.extensions["datavagt.keyring"].path))
    ok = CliRunner().invoke(cli, ["audit", "verify", "--workers", "2"])
    assert ok.exit_code == 0 and "60 events verified (seq 1..60)" in ok.output
    bad = CliRunner().invoke(cli, ["audit", "verify", "--workers", "0"])
    assert bad.exit_code == 2 and "--workers" in bad.output
