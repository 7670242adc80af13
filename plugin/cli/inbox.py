"""``datavagt inbox``: list webhook events; ``inbox retry`` requeues parked ones."""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.cli.context import fail, with_app
from plugin.ingest import inbox

COLUMNS = ("id", "vendor", "event_key", "kind", "status", "attempts", "next_attempt", "error")


def _row(event: object) -> dict[str, object]:
    return {
        "id": event.id,  # type: ignore[attr-defined]
        "vendor": event.vendor,  # type: ignore[attr-defined]
        "event_key": event.event_key,  # type: ignore[attr-defined]
        "kind": event.kind,  # type: ignore[attr-defined]
        "object_type": event.object_type,  # type: ignore[attr-defined]
        "object_id": event.object_id,  # type: ignore[attr-defined]
        "status": event.status,  # type: ignore[attr-defined]
        "attempts": event.attempts,  # type: ignore[attr-defined]
        "next_attempt": event.next_attempt_at.isoformat(),  # type: ignore[attr-defined]
        "received_at": event.received_at.isoformat(),  # type: ignore[attr-defined]
        "error": event.last_error,  # type: ignore[attr-defined]
    }


@click.group("inbox", invoke_without_command=True)
@click.option("--status", type=click.Choice(inbox.STATUSES), help="Only events in this state.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_context
def inbox_group(ctx: click.Context, status: str | None, fmt: str, limit: int) -> None:
    """Webhook events: vendor, event key, status, attempts, error (newest first)."""
    if ctx.invoked_subcommand is None:
        _list(status, fmt, limit)


@with_app
def _list(app: Flask, status: str | None, fmt: str, limit: int) -> None:
    rows = [_row(e) for e in inbox.list_events(status, limit)]
    if fmt == "json":
        click.echo(json.dumps({"events": rows, "counts": inbox.counts()}, indent=1))
        return
    if not rows:
        click.echo("no events")
        return
    table = [[str(r[c] if r[c] is not None else "") for c in COLUMNS] for r in rows]
    widths = [max(len(c), *(len(line[i]) for line in table)) for i, c in enumerate(COLUMNS)]
    click.echo("  ".join(c.upper().ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
    for line in table:
        click.echo("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


@inbox_group.command("retry")
@click.option("--id", "ids", type=int, multiple=True, help="A parked event id (repeatable).")
@click.option("--all-parked", is_flag=True, help="Requeue every parked event.")
@with_app
def retry(app: Flask, ids: tuple[int, ...], all_parked: bool) -> None:
    """Requeue parked events (attempts start again from zero)."""
    if bool(ids) == all_parked:
        fail("give --id N (repeatable) or --all-parked")
    count = inbox.retry_parked(None if all_parked else ids)
    if ids and count < len(ids):
        fail(f"requeued {count} of {len(ids)}: the others are not parked or do not exist")
    click.echo(f"requeued {count} event(s)")
