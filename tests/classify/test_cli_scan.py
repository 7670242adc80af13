"""`datavagt scan` through click's test runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from plugin.cli.scan import scan

TEXT = "Hej Mette, mit cpr er 150372-1003 og tlf. 20123456"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_json_output_without_values(runner: CliRunner) -> None:
    result = runner.invoke(scan, [], input=TEXT)
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert [f["type"] for f in findings] == ["person_name", "cpr", "phone"]
    for finding in findings:
        assert set(finding) == {"type", "category", "start", "end", "score", "detector"}
    assert "150372-1003" not in result.output
    assert "Mette" not in result.output
    cpr = findings[1]
    assert TEXT[cpr["start"] : cpr["end"]] == "150372-1003"


def test_show_values(runner: CliRunner) -> None:
    result = runner.invoke(scan, ["--show-values"], input=TEXT)
    assert result.exit_code == 0
    values = [f["value"] for f in json.loads(result.output)["findings"]]
    assert values == ["Mette", "150372-1003", "20123456"]


def test_text_format(runner: CliRunner) -> None:
    result = runner.invoke(scan, ["--format", "text", "--lang", "da"], input=TEXT)
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[1].split("\t") == ["22-33", "cpr", "identity", lines[1].split("\t")[3], "cpr"]
    assert "150372" not in result.output
    shown = runner.invoke(scan, ["--format", "text", "--show-values"], input=TEXT)
    assert '"150372-1003"' in shown.output


def test_text_format_with_nothing_found(runner: CliRunner) -> None:
    result = runner.invoke(scan, ["--format", "text"], input="nothing here")
    assert result.exit_code == 0
    assert result.output.strip() == "no findings"


def test_invalid_utf8_on_stdin(runner: CliRunner) -> None:
    result = runner.invoke(scan, [], input=b"\xff\xfe cpr 150372-1003")
    assert result.exit_code == 0
    assert [f["type"] for f in json.loads(result.output)["findings"]] == ["cpr"]


def test_jsonl(runner: CliRunner) -> None:
    lines = [
        json.dumps({"id": 1, "text": "mail a@b.dk"}),
        "",
        json.dumps({"id": "x", "text": "intet her"}),
        json.dumps({"id": 3, "text": "Kære Jens"}, ensure_ascii=False),
    ]
    result = runner.invoke(scan, ["--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == [1, "x", 3]
    assert [f["type"] for f in out[0]["findings"]] == ["email"]
    assert out[1]["findings"] == []
    assert "value" not in out[0]["findings"][0]
    assert "a@b.dk" not in result.output


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: invalid JSON"),
        ('{"id": 2}', 'line 2: expected an object with "id" and "text"'),
        ('["a"]', 'line 2: expected an object with "id" and "text"'),
        ('{"id": 2, "text": 5}', 'line 2: "text" must be a string'),
    ],
)
def test_bad_jsonl_line(runner: CliRunner, bad: str, message: str) -> None:
    good = json.dumps({"id": 1, "text": "a@b.dk"})
    result = runner.invoke(scan, ["--jsonl"], input=f"{good}\n{bad}\n{good}\n")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout.count('"id"') == 1  # the first line was answered before the error


def test_usage_error_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(scan, ["--lang", "de"], input="x")
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr
