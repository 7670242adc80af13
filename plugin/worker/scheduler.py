"""The manifest's ``jobs:`` mapped to functions and run by APScheduler.

In ``serve`` every gunicorn worker builds its own app, so each would start a scheduler.
Only the worker that wins a non-blocking ``flock`` on a file beside the key file starts it
and holds the lock for its lifetime; when that worker dies the OS drops the lock and its
replacement takes over. (gunicorn's master could run it instead, but the master must not
open database connections it would then fork into workers.) Across hosts several schedulers
are safe: inbox events and outbox jobs are claimed with row locks, so work is never done
twice, only looked for twice.
"""

from __future__ import annotations

import fcntl
import importlib
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

log = logging.getLogger(__name__)

# Manifest job name -> "module:function"; each function is called with the app.
JOBS: dict[str, str] = {
    "inbox_worker": "plugin.worker.jobs:inbox_worker",
    "retention_sweep": "plugin.retention.sweep:sweep_job",
    "retention_dispatch": "plugin.retention.sweep:dispatch_job",
    "audit_sequence": "plugin.audit.sequencer:sequence_job",
    "audit_checkpoint": "plugin.audit.checkpoints:checkpoint_job",
    "audit_prune": "plugin.audit.retention:prune_job",
    "breach_watch": "plugin.breach.service:watch_job",
    "alert_watch": "plugin.alerts.service:watch_job",
    "audit_verify": "plugin.alerts.service:audit_verify_job",
    "key_epochs": "plugin.worker.key_epochs:epoch_job",
    "erasure_followup": "plugin.erasure.followup:followup_job",
    "request_watch": "plugin.rights.requests:watch_job",
}
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
LOCK_NAME = "datavagt-scheduler.lock"
_held_lock: int | None = None  # the fd keeping this process the scheduler owner


def parse_schedule(text: str) -> BaseTrigger:
    """``interval:5s`` / ``interval:5m`` or ``cron:m h dom mon dow`` (UTC) as a trigger."""
    kind, _, spec = text.partition(":")
    if kind == "interval" and spec[:-1].isdigit() and spec[-1:] in UNITS:
        return IntervalTrigger(**{UNITS[spec[-1]]: int(spec[:-1])})
    if kind == "cron" and len(spec.split()) == 5:
        return CronTrigger.from_crontab(spec, timezone="UTC")
    raise ValueError(f"bad schedule {text!r}: expected 'interval:<n>[smhd]' or 'cron:<5 fields>'")


def resolve(dotted: str) -> Callable[[Flask], Any]:
    """Import ``module:function`` (raises ImportError or AttributeError when missing)."""
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def _guarded(name: str, func: Callable[[Flask], Any], app: Flask) -> Callable[[], None]:
    def run() -> None:
        try:
            func(app)
        except Exception as exc:  # noqa: BLE001 - a failing run must not stop the scheduler
            log.error("scheduled job failed", extra={"job": name, "error_type": type(exc).__name__})

    return run


def build_scheduler(
    app: Flask,
    scheduler: BaseScheduler | None = None,
    overrides: dict[str, str] | None = None,
) -> BaseScheduler:
    """Add every enabled manifest job whose function imports; log and skip the others."""
    scheduler = scheduler or BackgroundScheduler(timezone="UTC")
    jobs = app.extensions["datavagt.manifest"].data.get("jobs", {})
    for name, spec in jobs.items():
        if not spec.get("enabled", True):
            continue
        dotted = JOBS.get(name)
        if dotted is None:
            log.error("manifest job has no function", extra={"job": name})
            continue
        try:
            func = resolve(dotted)
        except (ImportError, AttributeError) as exc:
            log.error(
                "scheduled job not installed, skipped",
                extra={"job": name, "target": dotted, "error_type": type(exc).__name__},
            )
            continue
        trigger = parse_schedule((overrides or {}).get(name, spec["schedule"]))
        scheduler.add_job(
            _guarded(name, func, app),
            trigger,
            id=name,
            name=name,
            max_instances=1,  # a slow run is never overlapped by the next
            coalesce=True,
            misfire_grace_time=60,
            replace_existing=True,
            # Interval jobs run once at start too (an inbox left from before is drained now).
            **(
                {"next_run_time": datetime.now(UTC)} if isinstance(trigger, IntervalTrigger) else {}
            ),
        )
    return scheduler


def _win_lock(app: Flask) -> bool:
    """Take the per-host scheduler lock without blocking; keep it for the process lifetime."""
    global _held_lock
    if _held_lock is not None:
        return True
    settings = app.extensions["datavagt.settings"]
    path = Path(settings.key_file).resolve().parent / LOCK_NAME
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _held_lock = fd
    return True


def start_for_server(app: Flask) -> BaseScheduler | None:
    """Start the background scheduler in this serving process if it is on and we win the lock."""
    if app.extensions["datavagt.settings"].scheduler != "on":
        return None
    if not _win_lock(app):
        log.info("scheduler runs in another process")
        return None
    scheduler = build_scheduler(app)
    scheduler.start()
    app.extensions["datavagt.scheduler"] = scheduler
    log.info("scheduler started", extra={"jobs": [job.id for job in scheduler.get_jobs()]})
    return scheduler
