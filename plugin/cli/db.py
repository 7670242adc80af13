"""``datavagt db``: migrations."""

from __future__ import annotations

import click
import sqlalchemy as sa
from alembic.util import CommandError
from flask import Flask

from plugin import database
from plugin.cli.context import fail, with_app
from plugin.consent.seed import seed_now
from plugin.extensions import db
from plugin.purposes import sync_purposes


@click.group("db")
def db_group() -> None:
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_app(create=True)
def upgrade(app: Flask, revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    database.check_reachable(db.engine)
    try:
        database.upgrade(app.config["SQLALCHEMY_DATABASE_URI"], revision)
    except CommandError:
        fail(f"unknown revision {revision!r} — `datavagt db current` shows where the database is")
    if revision == "head":
        # Rows refer to purposes and consent wording: mirror them from the manifest now.
        sync_purposes(app.extensions["datavagt.manifest"])
        seed_now(app)
    click.echo(f"database at {database.current_revision(db.engine)}")


@db_group.command("downgrade")
@click.argument("revision")
@with_app(migrated=False)
def downgrade(app: Flask, revision: str) -> None:
    """Revert the database down to REVISION (``base`` empties it)."""
    database.check_reachable(db.engine)
    try:
        database.downgrade(app.config["SQLALCHEMY_DATABASE_URI"], revision)
    except CommandError:
        fail(f"unknown revision {revision!r} — `datavagt db current` shows where the database is")
    except sa.exc.SQLAlchemyError as exc:
        fail(f"downgrade failed ({type(exc).__name__}); the database was left as it was")
    click.echo(f"database at {database.current_revision(db.engine) or 'base'}")


@db_group.command("current")
@with_app(migrated=False)
def current(app: Flask) -> None:
    """Show the database revision and whether it is the head."""
    database.check_reachable(db.engine)
    revision = database.current_revision(db.engine)
    head = database.head_revision()
    state = "head" if revision == head else f"behind head {head}"
    click.echo(f"{revision or 'base'} ({state})")
