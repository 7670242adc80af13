"""`datavagt breach`: record with live counts, update, drafts, watch; one-line errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from plugin.cli.main import cli


def test_record_update_drafts(cli_env: CliRunner) -> None:
    made = cli_env.invoke(
        cli,
        [
            "breach",
            "record",
            "--title",
            "Lost laptop",
            "--category",
            "special",
            "--high-risk",
            "--measures",
            "Remote wipe",
            "--by",
            "dpo-anne",
        ],
    )
    assert made.exit_code == 0, made.output
    breach = json.loads(made.output)
    assert breach["status"] == "suspected" and breach["subjects_estimate"] == 0
    assert breach["created_by"] == "dpo-anne" and breach["categories"] == ["special"]
    confirmed = cli_env.invoke(cli, ["breach", "update", breach["id"], "--status", "confirmed"])
    assert json.loads(confirmed.output)["status"] == "confirmed"
    listed = json.loads(cli_env.invoke(cli, ["breach", "list", "--status", "confirmed"]).output)
    assert [b["id"] for b in listed] == [breach["id"]]
    drafts = json.loads(
        cli_env.invoke(cli, ["breach", "drafts", breach["id"], "--lang", "da"]).output
    )
    assert drafts["authority"]["title"].startswith("Udkast til anmeldelse")
    assert drafts["subjects"]["required"] is True and "Remote wipe" in drafts["subjects"]["text"]
    watched = json.loads(cli_env.invoke(cli, ["breach", "watch"]).output)
    assert watched == {"opened": [], "reminders": []}


def test_errors_are_one_line(cli_env: CliRunner) -> None:
    missing = cli_env.invoke(cli, ["breach", "show", "nope"])
    assert missing.exit_code == 1 and missing.output.strip() == "datavagt: error: No such incident"
    future = cli_env.invoke(
        cli, ["breach", "record", "--title", "x", "--detected-at", "2999-01-01T00:00:00+00:00"]
    )
    assert future.exit_code == 1 and "future" in future.output
    bad_date = cli_env.invoke(cli, ["breach", "record", "--title", "x", "--detected-at", "soon"])
    assert bad_date.exit_code == 1 and bad_date.output.startswith("datavagt: error: detected_at")
    assert (
        cli_env.invoke(cli, ["breach", "record", "--title", "x", "--category", "x"]).exit_code == 2
    )
    made = json.loads(cli_env.invoke(cli, ["breach", "record", "--title", "x"]).output)
    wrong = cli_env.invoke(cli, ["breach", "update", made["id"], "--status", "closed"])
    assert wrong.exit_code == 1 and "cannot go from suspected to closed" in wrong.output
    for args in (["breach", "--help"], ["breach", "record", "--help"]):
        assert cli_env.invoke(cli, args).exit_code == 0
    assert "Traceback" not in missing.output + future.output + wrong.output
