"""The retention and erasure commands, run as an admin would (configuration from a file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.retention.dispatcher import Dispatcher
from tests.erasure.conftest import person
from tests.retention.conftest import FAST, freshdesk_settings, seed


@pytest.fixture
def runner(retention_app: Flask, freshdesk: tuple, database_url: str, tmp_path: Path) -> CliRunner:
    """A runner whose commands build their app from a config file on the test's database."""
    sim, _ = freshdesk
    config = tmp_path / "datavagt.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "database_url": database_url,
                "key_file": str(tmp_path / "datavagt.keys"),
                "scheduler": "off",
                "log_level": "WARNING",
                "erasure_dispatch": "off",
                "freshdesk": freshdesk_settings(sim),
                **FAST,
            }
        ),
        encoding="utf-8",
    )
    return CliRunner(env={"DATAVAGT_CONFIG": str(config)})


def test_sweep_status_evidence_and_verify(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple, tmp_path: Path
) -> None:
    sim, log = freshdesk
    due, fresh = seed(sim, due=2, fresh=1)
    dry = runner.invoke(cli, ["retention", "sweep", "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    lines = json.loads(dry.output)["actions"]
    assert [line["ticket_ref"] for line in lines] == [f"freshdesk:{t.external_id}" for t in due]
    text = runner.invoke(cli, ["retention", "sweep", "--dry-run"])
    assert "rule=support" in text.output and "action=delete_ticket" in text.output

    run = runner.invoke(cli, ["retention", "sweep"])
    assert run.exit_code == 0, run.output
    summary = json.loads(run.output)
    assert summary["sweep"]["enqueued"] == 2 and summary["dispatch"]["done"] == 2
    assert all(log.deletes(int(t.external_id)) == 1 for t in due)
    assert log.counts_for(int(fresh[0].external_id)) == 0

    status = runner.invoke(cli, ["retention", "status", "--format", "json"])
    assert json.loads(status.output)["counts"]["done"] == 2
    job_id = db.session.query(OutboxJob).first().id
    out = tmp_path / "evidence.json"
    assert (
        runner.invoke(cli, ["retention", "evidence", str(job_id), "--out", str(out)]).exit_code == 0
    )
    checked = runner.invoke(cli, ["verify", str(out)])
    assert checked.exit_code == 0 and "deletion evidence OK" in checked.output
    document = json.loads(out.read_text())
    document["claims"]["object_ref"] = "999999"
    out.write_text(json.dumps(document))
    assert runner.invoke(cli, ["verify", str(out)]).exit_code == 1


def test_retry_and_hold_errors_exit_1(runner: CliRunner, retention_app: Flask) -> None:
    retry = runner.invoke(cli, ["retention", "retry", "999"])
    assert retry.exit_code == 1 and "not dead letters: 999" in retry.stderr
    assert runner.invoke(cli, ["retention", "retry"]).output.strip() == "requeued 0 job(s)"
    both = runner.invoke(cli, ["retention", "hold", "--ticket", "a:1", "--subject", "x"])
    assert both.exit_code == 1
    unknown = runner.invoke(cli, ["retention", "hold", "--ticket", "freshdesk:1", "--reason", "r"])
    assert unknown.exit_code == 1 and "No such ticket" in unknown.stderr


def test_subject_erase_writes_a_certificate_that_verifies(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple, tmp_path: Path
) -> None:
    sim, _ = freshdesk
    subject, contact, _tickets = person(sim, tickets=1)
    out = tmp_path / "certificate.json"
    worker = Dispatcher(retention_app, threads=1)  # the command waits for a worker to run them
    worker.start()
    try:
        result = runner.invoke(cli, ["subject", "erase", subject.id, "--certificate", str(out)])
    finally:
        worker.stop()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "pending_expiry"  # Trash and backups remain
    assert contact not in sim.contacts
    checked = runner.invoke(cli, ["verify", str(out)])
    assert checked.exit_code == 0 and "deletion certificate OK" in checked.output
    assert "jens" not in out.read_text().lower()
    missing = runner.invoke(cli, ["subject", "erase", "0" * 36])
    assert missing.exit_code == 1 and "No such data subject" in missing.stderr
