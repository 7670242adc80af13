"""Fixtures: every database test runs on SQLite and on PostgreSQL, each on a clean database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from plugin.app import create_app
from plugin.database import alembic_config, throwaway_schema
from plugin.extensions import db
from plugin.purposes import sync_purposes
from plugin.webhooks.inbox import WRITER

PG_URL = os.environ.get(
    "DATAVAGT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Both by default; DATAVAGT_TEST_DATABASES=sqlite narrows a local run (CI always runs both).
BACKENDS = os.environ.get("DATAVAGT_TEST_DATABASES", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A clean, migrated database: a SQLite copy or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "datavagt.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    with throwaway_schema(PG_URL, "t") as url:
        yield url


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test's database; keyword arguments override settings."""
    built: list[Flask] = []

    def factory(*, sync: bool = True, **overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "database_url": database_url,
            "key_file": str(tmp_path / "datavagt.keys"),
            "scheduler": "off",
            # Chained right after each commit, so a test reads the trail it just wrote.
            "audit_sequencer": "inline",
        }
        config.update(overrides)
        app = create_app(config)
        app.config["TESTING"] = True
        if sync:
            with app.app_context():
                sync_purposes(app.extensions["datavagt.manifest"])
        built.append(app)
        return app

    yield factory
    for app in built:
        writer = app.extensions.get(WRITER)
        if writer is not None:
            writer.shutdown()  # gives back the connection the group commit keeps
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The default sidecar app (no vendors), inside an app context."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, app: Flask, database_url: str, tmp_path: Path
) -> CliRunner:
    """The CLI pointed at the test database and the app's key file (scheduler off)."""
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(tmp_path / "datavagt.keys"))
    monkeypatch.setenv("DATAVAGT_SCHEDULER", "off")
    return CliRunner()
