"""Scheduler: schedule strings, the manifest job mapping, missing jobs, one owner per host."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from plugin.config import ROOT
from plugin.worker import JOBS, build_scheduler, parse_schedule
from plugin.worker.scheduler import resolve


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("interval:5s", 5), ("interval:5m", 300), ("interval:2h", 7200), ("interval:1d", 86400)],
)
def test_interval(text: str, seconds: int) -> None:
    trigger = parse_schedule(text)
    assert isinstance(trigger, IntervalTrigger) and trigger.interval.total_seconds() == seconds


def test_cron() -> None:
    trigger = parse_schedule("cron:15 2 * * *")
    assert isinstance(trigger, CronTrigger)
    assert str(trigger.fields[5]) == "2" and str(trigger.fields[6]) == "15"  # hour, minute


@pytest.mark.parametrize("text", ["interval:5", "interval:xs", "cron:* * *", "every 5s", ""])
def test_bad_schedules(text: str) -> None:
    with pytest.raises(ValueError, match="bad schedule"):
        parse_schedule(text)


def test_mapping_names_real_functions() -> None:
    assert set(JOBS) == {
        "inbox_worker",
        "retention_sweep",
        "retention_dispatch",
        "audit_sequence",
        "audit_checkpoint",
        "audit_prune",
        "breach_watch",
        "alert_watch",
        "audit_verify",
        "key_epochs",
        "erasure_followup",
        "request_watch",
    }
    for dotted in JOBS.values():
        assert callable(resolve(dotted))


def test_build_adds_manifest_jobs(app: Flask) -> None:
    scheduler = build_scheduler(app, BackgroundScheduler(timezone="UTC"))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert "inbox_worker" in jobs
    for name in ("retention_sweep", "audit_checkpoint"):
        try:
            resolve(JOBS[name])
        except (ImportError, AttributeError):
            assert name not in jobs  # not installed yet: skipped, not crashed
        else:
            assert name in jobs


def test_missing_job_function_is_logged_not_fatal(
    app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(JOBS, "retention_sweep", "plugin.no_such_module:sweep_job")
    with caplog.at_level(logging.ERROR, logger="plugin.worker.scheduler"):
        scheduler = build_scheduler(app, BackgroundScheduler(timezone="UTC"))
    assert "retention_sweep" not in {job.id for job in scheduler.get_jobs()}
    record = next(r for r in caplog.records if getattr(r, "job", None) == "retention_sweep")
    assert record.getMessage() == "scheduled job not installed, skipped"
    assert record.error_type == "ModuleNotFoundError"  # type: ignore[attr-defined]


def test_overrides_and_disabled_jobs(app: Flask) -> None:
    jobs = app.extensions["datavagt.manifest"].data["jobs"]
    jobs["audit_checkpoint"] = {**jobs["audit_checkpoint"], "enabled": False}
    scheduler = build_scheduler(
        app, BackgroundScheduler(timezone="UTC"), {"inbox_worker": "interval:1s"}
    )
    ids = {job.id: job for job in scheduler.get_jobs()}
    assert "audit_checkpoint" not in ids
    assert ids["inbox_worker"].trigger.interval.total_seconds() == 1


SCRIPT = textwrap.dedent(
    """
    import sys, time
    from plugin.app import create_app
    from plugin.worker import start_for_server
    app = create_app({"database_url": sys.argv[1], "key_file": sys.argv[2], "scheduler": "on"})
    scheduler = start_for_server(app)
    print("started" if scheduler else "standby", flush=True)
    time.sleep(float(sys.argv[3]))
    if scheduler:
        scheduler.shutdown(wait=False)
    """
)


def _start(tmp_path: Path, database_url: str, hold: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, database_url, str(tmp_path / "k.keys"), str(hold)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "err.log", "a"),  # noqa: SIM115
        text=True,
    )


def test_one_scheduler_per_host(tmp_path: Path, database_url: str, app: Any) -> None:
    """Like gunicorn workers: three processes try, one starts; after it exits, the next does."""
    first = _start(tmp_path, database_url, 300)  # holds the lock until we stop it
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "started"
        others = [_start(tmp_path, database_url, 0) for _ in range(2)]
        assert [p.communicate(timeout=120)[0].strip() for p in others] == ["standby"] * 2
    finally:
        first.terminate()  # the owner dies: the OS releases its lock
        first.communicate(timeout=60)
    later = _start(tmp_path, database_url, 0)
    assert later.communicate(timeout=120)[0].strip() == "started"


def test_scheduler_off(make_app: Any) -> None:
    from plugin.worker import start_for_server

    assert start_for_server(make_app(scheduler="off")) is None
