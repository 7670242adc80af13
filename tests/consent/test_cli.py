"""``datavagt verify`` on receipt files, and ``datavagt consent seed|texts``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.auth import Actor
from plugin.cli.main import cli
from plugin.consent import service
from plugin.consent.receipt import receipt_file
from plugin.consent.texts import current_text


@pytest.fixture
def env(app: Flask, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """Point the CLI at the test app's database and key file."""
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(app.extensions["datavagt.keyring"].path))
    monkeypatch.setenv("DATAVAGT_SCHEDULER", "off")
    return app


def test_seed_and_list_texts(env: Flask) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["consent", "seed"])
    assert first.exit_code == 0, first.output
    assert "published 4" in first.output
    again = runner.invoke(cli, ["consent", "seed"])
    assert again.exit_code == 0 and "published 0" in again.output
    listed = runner.invoke(cli, ["consent", "texts", "--purpose", "marketing", "--format", "json"])
    rows = json.loads(listed.output)
    assert {(r["language"], r["version"]) for r in rows} == {("da", 1), ("en", 1)}


def test_verify_receipt_file(env: Flask, subject_id: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["consent", "seed"]).exit_code == 0
    text = current_text("marketing", "da")
    consent = service.give(
        subject_id, "marketing", text.id, channel="phone", actor=Actor(id="a", role="agent")
    )
    good = tmp_path / "receipt.json"
    good.write_text(json.dumps(receipt_file(consent, "given")), encoding="utf-8")
    ok = runner.invoke(cli, ["verify", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output and "consent receipt" in ok.output

    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(env.extensions["datavagt.keyring"].jwks()), encoding="utf-8")
    public_only = runner.invoke(cli, ["verify", str(good), "--jwks", str(jwks)])
    assert public_only.exit_code == 0, public_only.output

    document = receipt_file(consent, "given")
    header, payload, signature = document["receipt"].split(".")
    document["receipt"] = f"{header}.{payload[:-2]}xx.{signature}"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    refused = runner.invoke(cli, ["verify", str(bad)])
    assert refused.exit_code == 1
