"""Shared CLI plumbing: build the app once, turn configuration errors into one line."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
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


def build_app(config: dict[str, Any] | None = None) -> Flask:
    """The app for a command, or a one-line error and exit 1."""
    from plugin.app import create_app

    try:
        return create_app(config)
    except STARTUP_ERRORS as exc:
        fail(str(exc))
        raise  # unreachable; keeps type checkers content


def with_app(command: F) -> F:
    """Run ``command(app, ...)`` inside an app context."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # A command's process ends right after it: chain its audit events at each commit
        # rather than in a background thread that would die with it (still queued, not lost).
        app = build_app({"audit_sequencer": os.environ.get("DATAVAGT_AUDIT_SEQUENCER", "inline")})
        from plugin.audit.free_text import PersonalDataInText
        from plugin.extensions import db

        with app.app_context():
            try:
                return command(app, *args, **kwargs)
            except STARTUP_ERRORS as exc:
                fail(str(exc))
            except PersonalDataInText as exc:
                db.session.rollback()  # nothing of the refused command is kept
                fail(str(exc))

    return wrapper  # type: ignore[return-value]
