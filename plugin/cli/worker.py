"""``datavagt worker``: the scheduled jobs without HTTP, for scaled-out deployments."""

from __future__ import annotations

import logging
import signal
from types import FrameType

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from plugin.cli.context import fail, with_app
from plugin.worker.jobs import inbox_worker
from plugin.worker.scheduler import build_scheduler, parse_schedule

log = logging.getLogger(__name__)


@click.command("worker")
@click.option(
    "--poll",
    help="Inbox schedule instead of the manifest's, e.g. 'interval:1s'.",
)
@click.option("--once", is_flag=True, help="Process due inbox events, then exit.")
@with_app
def worker(app: Flask, poll: str | None, once: bool) -> None:
    """Run the manifest's jobs (inbox, retention, audit checkpoints) until stopped."""
    if once:
        click.echo(f"processed {inbox_worker(app)} event(s)")
        return
    overrides = {}
    if poll:
        try:
            parse_schedule(poll)
        except ValueError as exc:
            fail(f"--poll: {exc}")
        overrides["inbox_worker"] = poll
    scheduler = build_scheduler(app, BlockingScheduler(timezone="UTC"), overrides)

    def stop(signum: int, _frame: FrameType | None) -> None:
        # Finish the running job, then exit; an interrupted event is re-leased anyway.
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("worker started", extra={"jobs": [job.id for job in scheduler.get_jobs()]})
    click.echo("worker started", err=True)
    scheduler.start()
