"""``datavagt backup create --to FILE`` and ``datavagt backup restore --from FILE [--yes]``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from plugin.backup import BackupError, audit_backup, create_backup, open_backup, restore_backup
from plugin.cli.context import fail, with_app


@click.group("backup")
def backup_group() -> None:
    """Encrypted database backups (readable until their epoch key is destroyed)."""


@backup_group.command("create")
@click.option("--to", "target", required=True, type=click.Path(path_type=Path), help="New file.")
@with_app
def create(app: Flask, target: Path) -> None:
    """Write a consistent, encrypted copy of every table to a new file."""
    try:
        result = create_backup(app, target)
    except BackupError as exc:
        fail(str(exc))
        return
    audit_backup(result, target)
    settings = app.extensions["datavagt.settings"]
    click.echo(
        f"backup {result.backup_id} written to {target}: {result.rows} rows from "
        f"{result.tables} tables, schema {result.revision}, epoch {result.epoch}"
    )
    if settings.master_key:
        click.echo("note: DATAVAGT_MASTER_KEY is set, so this backup never expires by itself")
    else:
        days = settings.key_epoch_days + settings.backup_retention_days
        click.echo(f"it can be restored until its epoch key is destroyed (at most {days} days)")


@backup_group.command("restore")
@click.option(
    "--from", "source", required=True, type=click.Path(path_type=Path), help="Backup file."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_app(migrated=False)  # restore names a revision mismatch itself
def restore(app: Flask, source: Path, yes: bool) -> None:
    """Replace the database content with a backup; journalled erasures are re-applied."""
    try:
        opened = open_backup(app, source)
    except BackupError as exc:
        fail(str(exc))
        return
    if not yes:
        if not sys.stdin.isatty():
            fail("restore replaces the whole database: pass --yes (no terminal to ask)")
        click.confirm(
            f"Replace the whole database with backup {opened.header.backup_id} "
            f"taken {opened.header.created_at}?",
            abort=True,
        )
    try:
        result = restore_backup(app, opened)
    except BackupError as exc:
        fail(str(exc))
        return
    click.echo(
        f"restored backup {result.backup_id}: {result.rows} rows; "
        f"{result.erasures_reapplied} journalled erasures re-applied, "
        f"{result.subjects_erased} erased people in the backup kept erased"
    )
    if result.unreadable_keys:
        click.echo(
            f"warning: {result.unreadable_keys} data keys in the backup are wrapped under "
            "destroyed epoch keys; their values cannot be read",
            err=True,
        )


@backup_group.command("epochs")
@click.option("--run", "run_now", is_flag=True, help="Run the key_epochs job now.")
@with_app
def epochs(app: Flask, run_now: bool) -> None:
    """The master-key epochs: backups of an epoch open until its key is destroyed."""
    from plugin.keys.epochs import destruction_due_at
    from plugin.keys.provider import get_provider
    from plugin.worker.key_epochs import epoch_job

    if run_now:
        run = epoch_job(app)
        if run.skipped:
            fail(run.skipped)
        click.echo(
            f"rotated to: {run.rotated_to or '-'}; re-wrapped: {run.rewrapped}; "
            f"destroyed: {', '.join(run.destroyed) or '-'}; "
            f"blocked: {', '.join(f'{k} ({n} live keys)' for k, n in run.blocked.items()) or '-'}"
        )
    provider = get_provider(app)
    if not provider.supports_epochs:
        fail("DATAVAGT_MASTER_KEY is set: one fixed key, no epochs; backups do not expire")
    settings = app.extensions["datavagt.settings"]
    for epoch in provider.list_epochs():
        if epoch.destroyed_at is not None:
            state = f"destroyed {epoch.destroyed_at:%Y-%m-%d %H:%M}"
        elif epoch.superseded_at is None:
            state = "active"
        else:
            state = (
                f"superseded, destroyed from {destruction_due_at(epoch, settings):%Y-%m-%d %H:%M}"
            )
        click.echo(f"{epoch.id}  started {epoch.created:%Y-%m-%d %H:%M}  {state}")
