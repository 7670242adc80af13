"""``datavagt subject erase``: the CLI only queues; workers run the jobs (issue 15 item 7).

Red team: ``--no-wait`` used to start dispatcher threads inside the short-lived CLI process,
which exited holding leases on 16 jobs (one DELETE ran and was never recorded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.models import DataSubject, OutboxJob
from plugin.retention.dispatcher import Dispatcher
from tests.erasure.conftest import person
from tests.retention.conftest import retention_app
from tests.retention.test_cli import runner

__all__ = ["retention_app", "runner"]


def _deletes(log: object) -> int:
    return sum(n for (method, _path, _s), n in log.counts.items() if method == "DELETE")  # type: ignore[attr-defined]


def _untouched(jobs: list[OutboxJob]) -> bool:
    """Queued and never leased: no attempt, no lease holder, no evidence."""
    return all(
        j.status == "pending" and j.attempts == 0 and j.locked_by is None and j.evidence is None
        for j in jobs
    )


def test_no_wait_in_its_own_process_only_queues(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple, tmp_path: Path
) -> None:
    sim, log = freshdesk
    subject, contact, _tickets = person(sim, tickets=2)
    before = _deletes(log)
    # The default dispatch setting ("background"): the old CLI started threads with it.
    config = yaml.safe_load(Path(runner.env["DATAVAGT_CONFIG"]).read_text(encoding="utf-8"))
    config.pop("erasure_dispatch")
    own = tmp_path / "cli.yaml"
    own.write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "DATAVAGT_CONFIG": str(own)}
    # A real, separate process, as an admin runs it: it must exit without leasing anything.
    done = subprocess.run(
        [sys.executable, "-m", "plugin.cli.main", "subject", "erase", subject.id, "--no-wait"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "in_progress"
    assert "3 job(s) queued" in done.stderr and "datavagt worker" in done.stderr
    db.session.expire_all()
    jobs = db.session.query(OutboxJob).all()
    assert len(jobs) == 3 and _untouched(jobs)
    assert _deletes(log) == before and contact in sim.contacts  # no vendor call was made
    assert db.session.get(DataSubject, subject.id).erased_at is not None
    # A worker then runs every job: nothing was lost.
    Dispatcher(retention_app, threads=2).run_until_idle(timeout=30)
    db.session.expire_all()
    assert {j.status for j in db.session.query(OutboxJob)} == {"done"}
    assert contact not in sim.contacts


def test_waiting_without_a_worker_times_out_clearly_and_keeps_the_jobs(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple
) -> None:
    sim, log = freshdesk
    subject, _contact, _tickets = person(sim, tickets=1)
    before = _deletes(log)
    result = runner.invoke(cli, ["subject", "erase", subject.id, "--timeout", "1"])
    assert result.exit_code == 1
    assert "no worker finished the erasure within 1s" in result.stderr
    assert "they stay queued and nothing is lost" in result.stderr
    assert "Traceback" not in result.output
    db.session.expire_all()
    assert _untouched(db.session.query(OutboxJob).all())
    assert _deletes(log) == before
    bad = runner.invoke(cli, ["subject", "erase", subject.id, "--timeout", "-1"])
    assert bad.exit_code == 2 and "timeout" in bad.stderr.lower()


def test_waiting_returns_once_the_workers_finished(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple, tmp_path: Path
) -> None:
    sim, _ = freshdesk
    subject, contact, _tickets = person(sim, tickets=1)
    worker = Dispatcher(retention_app, threads=1)
    worker.start()
    out = tmp_path / "cert.json"
    try:
        result = runner.invoke(
            cli, ["subject", "erase", subject.id, "--timeout", "60", "--certificate", str(out)]
        )
    finally:
        worker.stop()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "pending_expiry"
    assert contact not in sim.contacts
    checked = runner.invoke(cli, ["verify", str(out)])
    assert checked.exit_code == 0 and "state pending_expiry" in checked.output


def test_dry_run_shows_the_scope_and_changes_nothing(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple
) -> None:
    sim, log = freshdesk
    subject, contact, tickets = person(sim, tickets=2)
    before = _deletes(log)
    result = runner.invoke(cli, ["subject", "erase", subject.id, "--dry-run"])
    assert result.exit_code == 0, result.output
    scope = json.loads(result.stdout)
    assert scope["people"] == [subject.id]
    assert {t["ticket_ref"] for t in scope["tickets"]} == {t.external_id for t in tickets}
    assert scope["contacts"]["freshdesk"]["ids"] == [str(contact)]
    assert scope["kept"] == [] and scope["backups_until"]
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is None
    assert db.session.query(OutboxJob).count() == 0 and _deletes(log) == before
    missing = runner.invoke(cli, ["subject", "erase", "0" * 36, "--dry-run"])
    assert missing.exit_code == 1 and "No such data subject" in missing.stderr


def test_certificate_command_fetches_it_later(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple, tmp_path: Path
) -> None:
    sim, _ = freshdesk
    subject, _contact, _tickets = person(sim, tickets=1)
    early = runner.invoke(cli, ["subject", "certificate", subject.id])
    assert early.exit_code == 1 and "No erasure was requested" in early.stderr
    assert runner.invoke(cli, ["subject", "erase", subject.id, "--no-wait"]).exit_code == 0
    running = runner.invoke(cli, ["subject", "certificate", subject.id])
    assert running.exit_code == 1 and "not complete" in running.stderr
    refused = runner.invoke(
        cli, ["subject", "erase", subject.id, "--no-wait", "--certificate", "x.json"]
    )
    assert refused.exit_code == 1 and "drop --no-wait" in refused.stderr
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    out = tmp_path / "later.json"
    result = runner.invoke(cli, ["subject", "certificate", subject.id, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "version 1 of 1: pending_expiry, copies remain until" in result.stderr
    checked = runner.invoke(cli, ["verify", str(out)])
    assert checked.exit_code == 0 and "state pending_expiry" in checked.output
