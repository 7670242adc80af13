"""Database wiring: engine options per backend and Alembic migrations."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.engine import Engine

from plugin.config import ROOT, ConfigError
from plugin.extensions import db

MIGRATIONS = ROOT / "migrations"


def engine_options(database_url: str) -> dict[str, Any]:
    """Pool and connect options suited to the backend."""
    if database_url.startswith("sqlite"):
        # Worker threads share the file; wait on locks instead of failing at once.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy to the configured URL."""
    settings = app.extensions["datavagt.settings"]
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.database_url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(settings.database_url)
    db.init_app(app)
    if settings.database_url.startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", sqlite_pragmas)


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for our migrations folder and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Revert migrations down to ``revision`` (``base`` for an empty database)."""
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str:
    """The newest revision in our scripts (there must be exactly one head)."""
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads; merge them")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_reachable(engine: Engine) -> None:
    """Raise ConfigError with one clear line when the database can't be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        # The driver's message may contain the password-bearing URL: name only the backend.
        raise ConfigError(
            f"DATAVAGT_DATABASE_URL: cannot connect to the {engine.dialect.name} database "
            f"({type(exc.orig or exc).__name__})"
        ) from exc


def with_search_path(url: str, schema: str) -> str:
    """``url`` with libpq's ``options`` set so every connection works inside ``schema``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@contextmanager
def throwaway_schema(url: str, prefix: str = "scratch") -> Iterator[str]:
    """A fresh PostgreSQL schema, migrated to head, dropped afterwards (tests, benchmarks)."""
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    scoped = with_search_path(url, schema)
    try:
        upgrade(scoped)
        yield scoped
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def scratch_database(url: str | None, folder: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite in ``folder``, or a throw-away schema at ``url``."""
    if url is None:
        path = f"sqlite:///{folder / 'scratch.db'}"
        upgrade(path)
        yield path
        return
    with throwaway_schema(url, "bench") as scoped:
        yield scoped
