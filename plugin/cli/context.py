"""Shared CLI plumbing: build the app once, turn configuration errors into one line."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask

from plugin.config import ConfigError
from plugin.keys import KeyringError
from plugin.manifest import ManifestError
from plugin.vendors.errors import AdapterConfigError, UnknownAdapterError

F = TypeVar("F", bound=Callable[..., Any])
STARTUP_ERRORS: tuple[type[Exception], ...] = (
    ConfigError,
    ManifestError,
    KeyringError,
    AdapterConfigError,
    UnknownAdapterError,
)


def fail(message: str) -> None:
    """Print one line to stderr and exit 1."""
    click.echo(f"datavagt: error: {message}", err=True)
    raise SystemExit(1)


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON (UTF-8 letters kept, for Danish text)."""
    import json

    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def cli_actor(by: str, role: str = "dpo") -> Any:
    """The audited actor a ``--by NAME`` option names (1 to 128 characters)."""
    from plugin.auth.guard import Actor

    if not 0 < len(by) <= 128:
        fail("--by: 1 to 128 characters")
    return Actor(id=by, role=role, source="cli")


def load_or_fail(schema: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``schema.load(data)``, or the first field error as a one-line message and exit 1."""
    from marshmallow import ValidationError

    try:
        return schema.load(data)
    except ValidationError as exc:
        field, messages = next(iter(exc.messages.items()))
        fail(f"{field}: {messages[0] if isinstance(messages, list) else messages}")
        raise


def _sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def require_files(app: Flask) -> None:
    """Refuse, with one line naming the fix, to run against a SQLite file that is not there
    (connecting would create an empty one); only ``datavagt db upgrade`` creates it."""
    database = _sqlite_file(app.extensions["datavagt.settings"].database_url)
    if database is not None and not database.exists():
        fail(
            f"no database at {database} — run `datavagt db upgrade` to create it, "
            "or set DATAVAGT_DATABASE_URL to your database"
        )


def require_keys(app: Flask) -> None:
    """One line and exit 1 when the key file is missing (it was not created)."""
    keyring = app.extensions["datavagt.keyring"]
    if keyring.missing:
        try:
            keyring.index_key  # noqa: B018 - raises the KeyringError naming the fix
        except KeyringError as exc:
            fail(str(exc))


def check_reachable() -> None:
    """Inside an app context: one line and exit 1 unless the database answers."""
    from plugin import database
    from plugin.extensions import db

    try:
        database.check_reachable(db.engine)
    except ConfigError as exc:
        fail(f"{exc} — check that the database is running and the URL is right")


def check_schema() -> None:
    """Inside an app context: one line and exit 1 unless the database is migrated to the
    newest revision."""
    from plugin import database
    from plugin.extensions import db

    current = database.current_revision(db.engine)
    head = database.head_revision()
    if current is None:
        fail("the database is not migrated — run `datavagt db upgrade`")
    if current != head:
        fail(f"the database is at {current}, not {head} — run `datavagt db upgrade`")


def build_app(config: dict[str, Any] | None = None) -> Flask:
    """The app for a command, or a one-line error and exit 1."""
    from plugin.app import create_app

    try:
        return create_app(config)
    except STARTUP_ERRORS as exc:
        fail(str(exc))
        raise  # unreachable; keeps type checkers content


def with_app(
    command: F | None = None,
    *,
    create: bool = False,
    migrated: bool = True,
    database: bool = True,
    keys: bool = True,
) -> Any:
    """Run ``command(app, ...)`` inside an app context.

    By default the database and key file must exist (else a one-line error naming
    ``datavagt db upgrade``) and the database must be at the newest revision; ``create``
    lets the command create both (``db upgrade``), ``migrated=False`` skips the revision
    check (``db current``, ``db downgrade``, ``backup restore``: they check it themselves),
    ``database=False`` / ``keys=False`` for a command that reads neither (``policy show``).
    """

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # A command's process ends right after it: chain its audit events at each commit
            # rather than in a background thread that would die with it (queued, not lost).
            config = {
                "audit_sequencer": os.environ.get("DATAVAGT_AUDIT_SEQUENCER", "inline"),
                "create_files": create,
            }
            app = build_app(config)
            import sqlalchemy as sa

            from plugin.audit.free_text import PersonalDataInText
            from plugin.extensions import db

            with app.app_context():
                if not create:
                    # In this order, so the first thing missing is the one named.
                    if database:
                        require_files(app)
                        check_reachable()
                        if migrated:
                            check_schema()
                    if keys:
                        require_keys(app)
                try:
                    return command(app, *args, **kwargs)
                except STARTUP_ERRORS as exc:
                    fail(str(exc))
                except PersonalDataInText as exc:
                    db.session.rollback()  # nothing of the refused command is kept
                    fail(str(exc))
                except sa.exc.SQLAlchemyError as exc:
                    db.session.rollback()
                    # The driver's text may hold values or the URL: name only its kind.
                    fail(
                        f"database error ({type(getattr(exc, 'orig', None) or exc).__name__}) "
                        "— check `datavagt db current` and DATAVAGT_DATABASE_URL"
                    )

        return wrapper  # type: ignore[return-value]

    if command is not None:
        return decorate(command)
    return decorate
