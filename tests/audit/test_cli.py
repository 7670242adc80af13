"""``datavagt audit ...``, ``keys rotate`` and ``verify FILE``: exit codes, messages, formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.models import AuditEvent
from tests.audit.helpers import seed, sql


@pytest.fixture
def run(app: Flask, database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(app.extensions["datavagt.keyring"].path))

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_verify_ok_and_broken(app: Flask, run) -> None:  # type: ignore[no-untyped-def]
    seed(4)
    ok = run("audit", "verify")
    assert ok.exit_code == 0
    expected = "audit chain OK: 4 events verified (seq 1..4), 0 checkpoints verified"
    assert ok.output.strip() == expected
    sql("UPDATE audit_events SET field = 'x' WHERE seq = 2")
    broken = run("audit", "verify")
    assert broken.exit_code == 1
    lines = broken.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("datavagt: error: audit chain broken: event seq 2 ")


def test_export_json_and_csv(app: Flask, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed(4)
    events = json.loads(run("audit", "export", "--subject", "s-1").output)
    assert [e["seq"] for e in events] == [2]
    out = tmp_path / "audit.csv"
    assert run("audit", "export", "--format", "csv", "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["seq"] for r in rows] == ["1", "2", "3", "4"] and rows[0]["agent"] == "agent-1"
    assert json.loads(run("audit", "export", "--since", "2100-01-01").output) == []
    assert run("audit", "export", "--action", "peek").exit_code == 2


def test_checkpoints_exported_and_verified(app: Flask, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed(3)
    assert run("audit", "checkpoint").output.startswith("checkpoint signed at seq 3")
    assert run("audit", "checkpoint").output.strip() == "no new events since the last checkpoint"
    out = tmp_path / "cp.json"
    assert run("audit", "checkpoints", "--out", str(out)).exit_code == 0
    ok = run("verify", str(out))
    assert ok.exit_code == 0 and "1 audit checkpoints verified (up to seq 3)" in ok.output
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(app.extensions["datavagt.keyring"].jwks()))
    assert run("verify", str(out), "--jwks", str(jwks)).exit_code == 0
    document = json.loads(out.read_text())
    document["checkpoints"][0]["head_hash"] = "0" * 64
    out.write_text(json.dumps(document))
    bad = run("verify", str(out))
    assert bad.exit_code == 1 and "head_hash was altered" in bad.stderr
    jwks.write_text(json.dumps({"keys": []}))
    assert "unknown signing key" in run("verify", str(out), "--jwks", str(jwks)).stderr


def test_verify_file_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    unknown = tmp_path / "x.json"
    unknown.write_text('{"type": "nonsense"}')
    result = run("verify", str(unknown))
    assert result.exit_code == 1 and "unknown file type 'nonsense'" in result.stderr
    unknown.write_text("not json")
    assert "is not a JSON file" in run("verify", str(unknown)).stderr
    assert "cannot read" in run("verify", str(tmp_path / "missing.json")).stderr


def test_keys_rotate_is_audited(app: Flask, run) -> None:  # type: ignore[no-untyped-def]
    before = app.extensions["datavagt.keyring"].active_signing_key.kid
    result = run("keys", "rotate")
    assert result.exit_code == 0 and "signing key rotated" in result.output
    db.session.expire_all()
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "key_rotation"))
    assert event is not None and event.details["signing_kid"] != before
    assert run("audit", "verify").exit_code == 0


def test_prune_dry_run_reports_nothing_recent(app: Flask, run) -> None:  # type: ignore[no-untyped-def]
    seed(2)
    result = run("audit", "prune", "--dry-run")
    assert result.exit_code == 0 and result.output.startswith("nothing older than")
