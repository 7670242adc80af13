"""`datavagt ropa`: live record in both languages, save, versions, show, verify, diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plugin.cli.main import cli


@pytest.mark.parametrize(
    ("lang", "fmt", "expected"),
    [
        ("da", "html", "Databeskyttelsesrådgiver"),
        ("en", "html", "Data protection officer"),
        ("da", "md", "Klagebehandling"),
    ],
)
def test_live(cli_env: CliRunner, lang: str, fmt: str, expected: str) -> None:
    result = cli_env.invoke(cli, ["ropa", "--format", fmt, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_json_live(cli_env: CliRunner) -> None:
    result = cli_env.invoke(cli, ["ropa", "--format", "json", "--lang", "da"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["lang"] == "da" and record["controller"]["cvr"] == "13585628"


def test_save_show_verify_diff(cli_env: CliRunner, tmp_path: Path) -> None:
    first = cli_env.invoke(cli, ["ropa", "save", "--by", "dpo-anne"])
    assert first.exit_code == 0 and first.output.startswith("saved version 1 "), first.output
    assert cli_env.invoke(cli, ["ropa", "save"]).output.startswith("saved version 2 ")
    listed = cli_env.invoke(cli, ["ropa", "versions"]).output.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["2", "1"]
    assert listed[1].split("\t")[2] == "dpo-anne"
    shown = cli_env.invoke(cli, ["ropa", "show", "1", "--format", "json"])
    path = tmp_path / "ropa-v1.json"
    path.write_text(shown.output, encoding="utf-8")
    verified = cli_env.invoke(cli, ["verify", str(path)])
    assert verified.exit_code == 0, verified.output
    assert "record of processing version 1" in verified.output and "valid" in verified.output
    tampered = json.loads(shown.output)
    tampered["ropa"]["records"]["da"]["controller"]["name"] = "Someone else"
    path.write_text(json.dumps(tampered), encoding="utf-8")
    assert cli_env.invoke(cli, ["verify", str(path)]).exit_code != 0
    html = cli_env.invoke(cli, ["ropa", "show", "2", "--format", "html", "--lang", "da"])
    assert html.exit_code == 0 and "Version: 2" in html.output
    changes = json.loads(cli_env.invoke(cli, ["ropa", "diff", "1", "2"]).output)
    assert changes["from"] == 1 and changes["changed"] == [] and changes["added"] == []


def test_errors_are_one_line(cli_env: CliRunner) -> None:
    missing = cli_env.invoke(cli, ["ropa", "show", "9"])
    assert missing.exit_code == 1 and "no saved version 9" in missing.output
    assert "Traceback" not in missing.output
    assert cli_env.invoke(cli, ["ropa", "diff", "1", "2"]).exit_code == 1
    assert cli_env.invoke(cli, ["ropa", "--lang", "de"]).exit_code == 2
    assert cli_env.invoke(cli, ["ropa", "show", "0"]).exit_code == 2
    assert cli_env.invoke(cli, ["ropa", "save", "--by", ""]).exit_code == 1
    for args in (["ropa", "--help"], ["ropa", "save", "--help"], ["ropa", "diff", "--help"]):
        assert cli_env.invoke(cli, args).exit_code == 0
