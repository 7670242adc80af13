"""``datavagt audit``: verify the chain, export events and checkpoints, checkpoint, prune."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import click
import sqlalchemy as sa
from flask import Flask

from plugin.audit.actions import ACTIONS
from plugin.audit.checkpoint_file import export_checkpoints
from plugin.audit.checkpoints import checkpoint_if_due
from plugin.audit.csvout import csv_lines
from plugin.audit.offline import OfflineError, log_document, verify_document
from plugin.audit.parallel import verify_parallel
from plugin.audit.proofs import tree_head
from plugin.audit.queries import AuditFilter, stream
from plugin.audit.retention import prune
from plugin.audit.sequencer import flush
from plugin.audit.verify import ChainError, verify_chain
from plugin.auth.guard import Actor
from plugin.cli.context import fail, with_app
from plugin.extensions import db
from plugin.models.audit import AuditCheckpoint, AuditEvent

CLI_ACTOR = Actor(id="cli", role="admin", source="cli")


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit trail."""


@audit_group.command("verify")
@click.option(
    "--offline",
    "offline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check an export (audit bundle) or a saved proof instead of the database.",
)
@click.option(
    "--jwks",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --offline: the public keys (/.well-known/jwks.json); nothing else is needed.",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Start where the last verify ended (a signed checkpoint) instead of at seq 1.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes re-hashing events in parallel (a full run only).",
)
def verify(offline: Path | None, jwks: Path | None, incremental: bool, workers: int) -> None:
    """Recompute the hash chain and Merkle roots and check every checkpoint signature."""
    if offline is None:
        _verify_database(incremental, workers)  # type: ignore[call-arg]
        return
    if jwks is None:
        fail("--offline needs --jwks FILE (the public keys)")
    keys, document = _json_file(jwks, "--jwks"), _json_file(offline, "--offline")
    try:
        click.echo(f"{offline}: OK: {verify_document(document, keys)}")
    except OfflineError as exc:
        fail(f"{offline}: NOT VALID: {exc}")


def _json_file(path: Path, option: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{option}: cannot read {path}: {exc.strerror}")
    except ValueError:
        fail(f"{option}: {path} is not a JSON file")


@with_app
def _verify_database(app: Flask, incremental: bool, workers: int) -> None:
    flush(app)  # what requests committed up to now is checked too
    keyring = app.extensions["datavagt.keyring"]
    try:
        if workers > 1 and not incremental:
            url = app.extensions["datavagt.settings"].database_url
            result = verify_parallel(db.session, keyring, url, workers)
        else:
            result = verify_chain(db.session, keyring, incremental=incremental, remember=True)
    except ChainError as exc:
        fail(f"audit chain broken: {exc}")
        return
    db.session.commit()  # where this run ended, for the next --incremental
    span = f" (seq {result.first_seq}..{result.last_seq})" if result.events else ""
    if result.resumed_from is not None:
        span += f", resumed after the verified checkpoint at seq {result.resumed_from}"
    click.echo(
        f"audit chain OK: {result.events} events verified{span}, "
        f"{result.checkpoints} checkpoints verified"
    )


@audit_group.command("bundle")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_app
def bundle(app: Flask, out: Path) -> None:
    """Write the whole log and its signed tree heads for `audit verify --offline`."""
    flush(app)
    heads = [
        tree_head(cp)
        for cp in db.session.scalars(
            sa.select(AuditCheckpoint)
            .where(AuditCheckpoint.root_hash.is_not(None), AuditCheckpoint.is_anchor.is_(False))
            .order_by(AuditCheckpoint.seq)
        )
    ]
    first = db.session.scalar(sa.select(sa.func.min(AuditEvent.seq)))
    if first not in (None, 1):
        fail("the log was pruned: an offline bundle needs it from seq 1 (not covered yet)")
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq))
    document = log_document(events, heads)
    out.write_text(json.dumps(document, sort_keys=True) + "\n", encoding="utf-8")
    click.echo(f"{len(document['events'])} events, {len(heads)} signed tree heads written to {out}")


@audit_group.command("flush")
@with_app
def flush_command(app: Flask) -> None:
    """Chain every queued event now (the sequencer otherwise does within its interval)."""
    count = flush(app)
    click.echo(f"{count} queued events chained")


@audit_group.command("export")
@click.option("--subject", help="Data subject id.")
@click.option("--agent", help="Agent (actor) id.")
@click.option("--ticket", help="Ticket reference <vendor>:<id>.")
@click.option("--action", type=click.Choice(sorted(ACTIONS)))
@click.option("--since", type=click.DateTime(), help="From this UTC time (inclusive).")
@click.option("--until", type=click.DateTime(), help="Up to this UTC time (exclusive).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
@with_app
def export(
    app: Flask,
    subject: str | None,
    agent: str | None,
    ticket: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    fmt: str,
    out: Path | None,
) -> None:
    """Export matching events, oldest first (JSON lines array or CSV), streamed."""
    selection = AuditFilter(subject, agent, ticket, action, _utc(since), _utc(until))
    handle: IO[str] = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if fmt == "csv":
            for line in csv_lines(stream(selection)):
                handle.write(line)
        else:
            handle.write("[")
            for index, event in enumerate(stream(selection)):
                handle.write(("," if index else "") + "\n" + json.dumps(event, sort_keys=True))
            handle.write("\n]\n")
    finally:
        if out:
            handle.close()


@audit_group.command("checkpoints")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_app
def checkpoints(app: Flask, out: Path) -> None:
    """Write every signed checkpoint to FILE for anchoring outside Datavagt."""
    document = export_checkpoints(db.session)
    out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    click.echo(f"{len(document['checkpoints'])} checkpoints written to {out}")


@audit_group.command("checkpoint")
@with_app
def checkpoint(app: Flask) -> None:
    """Sign the current chain head now."""
    created = checkpoint_if_due(force=True)
    db.session.commit()
    if created is None:
        click.echo("no new events since the last checkpoint")
    else:
        click.echo(f"checkpoint signed at seq {created.seq} (key {created.kid})")


@audit_group.command("prune")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@click.option("--chunk", default=5000, show_default=True, type=click.IntRange(1, 100_000))
@with_app
def prune_command(app: Flask, dry_run: bool, chunk: int) -> None:
    """Remove events older than the manifest's audit.retention_years, oldest first."""
    try:
        result = prune(CLI_ACTOR, chunk=chunk, dry_run=dry_run)
    except ChainError as exc:
        fail(f"not pruning, the audit chain is broken: {exc}")
        return
    if result.through_seq is None:
        click.echo(f"nothing older than {result.cutoff:%Y-%m-%d}")
    elif dry_run:
        click.echo(f"would remove {result.deleted} events (through seq {result.through_seq})")
    else:
        click.echo(f"removed {result.deleted} events (through seq {result.through_seq})")
