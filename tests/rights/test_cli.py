"""`datavagt subject find|export`, `datavagt verify` on the export, and `datavagt ropa`."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from tests.agents.helpers import events
from tests.rights.seeding import CPR, EMAIL, Person, Sims, vendor_settings


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path, sims: Sims
) -> CliRunner:
    """The CLI pointed at the test database, key file and simulators."""
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(tmp_path / "datavagt.keys"))
    monkeypatch.setenv("DATAVAGT_SCHEDULER", "off")
    for vendor, values in vendor_settings(sims).items():
        for key, value in values.items():
            monkeypatch.setenv(f"DATAVAGT_{vendor.upper()}_{key.upper()}", value)
    return CliRunner()


def test_find_export_verify(
    env: CliRunner, vendor_app: Flask, person: Person, tmp_path: Path
) -> None:
    found = env.invoke(cli, ["subject", "find", "--email", EMAIL])
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["id"] == person.subject_id
    assert EMAIL not in found.output
    out = tmp_path / "export.json"
    made = env.invoke(cli, ["subject", "export", person.subject_id, "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    envelope = json.loads(out.read_text(encoding="utf-8"))
    assert CPR in json.dumps(envelope, ensure_ascii=False)
    checked = env.invoke(cli, ["verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "signature valid" in checked.output
    envelope["export"]["subject_id"] = "someone-else"
    out.write_text(json.dumps(envelope), encoding="utf-8")
    forged = env.invoke(cli, ["verify", str(out)])
    assert forged.exit_code == 1
    assert [e.actor_id for e in events("export")] == ["cli"]


def test_find_nobody_and_usage(env: CliRunner, vendor_app: Flask, tmp_path: Path) -> None:
    nobody = env.invoke(cli, ["subject", "find", "--email", "nobody@example.dk"])
    assert nobody.exit_code == 1 and "no subject" in nobody.output
    nothing = env.invoke(cli, ["subject", "find"])
    assert nothing.exit_code == 1
    bad = env.invoke(cli, ["subject", "find", "--vendor-id", "no-colon"])
    assert bad.exit_code == 1
    missing = env.invoke(
        cli,
        ["subject", "export", "00000000-0000-4000-8000-000000000000", "--out", str(tmp_path / "x")],
    )
    assert missing.exit_code == 1 and "No such subject" in missing.output


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_ropa_cli(env: CliRunner, vendor_app: Flask, person: Person, fmt: str) -> None:
    result = env.invoke(cli, ["ropa", "--format", fmt])
    assert result.exit_code == 0, result.output
    for purpose in vendor_app.extensions["datavagt.manifest"].purposes.values():
        assert purpose["name"] in result.output
    assert "Freshworks Inc." in result.output
