"""``datavagt backfill VENDOR --since DATE``: ingest tickets that existed before the webhooks."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask

from plugin.cli.context import fail, with_app
from plugin.ingest.backfill import enqueue_backfill
from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterError
from plugin.worker.jobs import inbox_worker

MAX_RUNS = 1000  # each run handles up to 50 batches; failing events wait for their backoff


def _since(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("expected a date such as 2026-01-31 or 2026-01-31T08:00") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command("backfill")
@click.argument("vendor")
@click.option("--since", "since", required=True, help="Tickets updated since (ISO date, UTC).")
@click.option("--enqueue-only", is_flag=True, help="Leave processing to the worker.")
@with_app
def backfill(app: Flask, vendor: str, since: str, enqueue_only: bool) -> None:
    """Pull VENDOR's tickets updated since DATE through its API and ingest them."""
    moment = _since(since)
    adapters: dict[str, Adapter] = app.extensions.get("datavagt.adapters", {})
    adapter = adapters.get(vendor)
    if adapter is None:
        configured = ", ".join(sorted(adapters)) or "none"
        fail(f"vendor {vendor!r} is not configured (configured: {configured})")
    try:
        result = enqueue_backfill(adapter, moment)  # type: ignore[arg-type]
    except AdapterError as exc:
        fail(f"backfill stopped: {exc}")
    click.echo(
        f"{result.seen} ticket(s) seen, {result.enqueued} enqueued, "
        f"{result.duplicates} already queued"
    )
    if not enqueue_only:
        processed = 0
        for _ in range(MAX_RUNS):
            handled = inbox_worker(app)
            processed += handled
            if not handled:
                break
        click.echo(f"{processed} event(s) processed")
