"""Database wiring: engine options per backend and Alembic migrations."""

from __future__ import annotations

import logging
import secrets
import time
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
_log = logging.getLogger(__name__)


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
    # Deleted rows are overwritten with zeros, not just unlinked: a shredded key or an erased
    # person's rows must not stay readable in free space of the file's pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# A pooled PostgreSQL connection idle longer than this is pinged before use (below).
PING_IDLE_SECONDS = 1.0


def ping_when_idle(engine: Engine, idle_seconds: float | None = None) -> None:
    """Check a pooled connection on checkout only when it sat idle: ``pool_pre_ping`` costs a
    round trip per request, which under load is a sizeable share of a short request (an
    audit append, the agent view: bench/audit.py, bench/agent_view.py).

    A connection given back less than ``idle_seconds`` (default ``PING_IDLE_SECONDS``) ago
    was working then; one idle longer (a server restart or an idle timeout may have closed
    it meanwhile) is pinged, and a dead one is replaced before the request sees it (the
    pool retries on DisconnectionError).
    """

    def connected(_dbapi_connection: Any, record: Any) -> None:
        record.info[_USED_AT] = time.monotonic()

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_USED_AT] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        bound = PING_IDLE_SECONDS if idle_seconds is None else idle_seconds
        if time.monotonic() - record.info.get(_USED_AT, 0.0) <= bound:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # noqa: BLE001 - any failure: drop it, the pool reconnects
            raise sa.exc.DisconnectionError("idle connection failed its ping") from exc
        record.info[_USED_AT] = time.monotonic()

    sa.event.listen(engine, "connect", connected)
    sa.event.listen(engine, "checkin", checkin)
    sa.event.listen(engine, "checkout", checkout)


_USED_AT = "datavagt.used_at"


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy to the configured URL."""
    settings = app.extensions["datavagt.settings"]
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.database_url
    options = engine_options(settings.database_url)
    sqlite = settings.database_url.startswith("sqlite")
    if not sqlite:
        options["pool_pre_ping"] = False  # ping_when_idle instead
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        if sqlite:
            sa.event.listen(db.engine, "connect", sqlite_pragmas)
        else:
            ping_when_idle(db.engine)


# What an erasure leaves in PostgreSQL's files, and the statement that removes it. A plain
# VACUUM marks a dead row's space free without zeroing it (a row that sat lowest on its
# page stays whole in the file) and leaves index pages as they are, so the tables holding
# what links back to a person are written anew by VACUUM FULL, indexes included:
# subject_keys (the wrapped data keys: a copy would undo the shredding), and
# subject_identifiers and findings (blind indexes and dedupe keys: HMACs under the index
# key, which outlives the person, so a guessed value could be confirmed). Vault items
# (ciphertext under the destroyed key), tickets and secure messages (vendor ids, vault
# references) get a plain VACUUM.
PG_REWRITE = ("subject_keys", "subject_identifiers", "findings")
PG_VACUUM = ("vault_items", "tickets", "secure_messages")
# How long to wait for transactions older than the erasure: while one runs, its snapshot
# keeps the dead rows, and VACUUM FULL would copy them into the new file.
SNAPSHOT_WAIT_SECONDS = 10.0


def _older_snapshots(connection: Any, since: Any) -> int:
    return int(
        connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() "
                "AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL) "
                "AND xact_start < :since"
            ),
            {"since": since},
        ).scalar_one()
    )


def purge_residue(*, keys: bool = True) -> dict[str, Any]:
    """Remove what deleted rows leave in the live database files; call after the commit.

    SQLite (``secure_delete`` zeroes freed space in every page it writes): checkpoint the
    WAL into the main file and truncate it, since the WAL still holds the pages as they were
    before the shred. PostgreSQL: wait (bounded) for transactions older than the erasure,
    then VACUUM FULL of ``PG_REWRITE`` and VACUUM of ``PG_VACUUM``. ``keys=False`` (no
    person was shredded: a ticket deleted in the vendor) runs a plain VACUUM of all of
    them, without waiting: it frees the space but may leave bytes in it. What PostgreSQL's
    own WAL, WAL archive and base backups keep is beyond this; the key epochs cover those
    (docs/keys.md).

    Returns what was done; a lock not granted within 5 s is logged and left for later.
    """
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            busy, wal_frames, moved = connection.execute(
                sa.text("PRAGMA wal_checkpoint(TRUNCATE)")
            ).one()
            connection.commit()
        if busy:
            _log.warning("WAL checkpoint after a shred was blocked by a reader")
        return {"checkpointed": not busy, "wal_frames": int(wal_frames), "moved": int(moved)}
    done: list[str] = []
    # VACUUM refuses to run inside a transaction block.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        since = connection.execute(sa.text("SELECT now()")).scalar_one()
        deadline = time.monotonic() + (SNAPSHOT_WAIT_SECONDS if keys else 0.0)
        while (older := _older_snapshots(connection, since)) and time.monotonic() < deadline:
            time.sleep(0.2)
        if older and keys:
            _log.warning("a transaction older than the erasure still runs; rows may remain")
        present = set(sa.inspect(connection).get_table_names())
        # Never queue behind a long transaction: the erasure has committed, this is hygiene.
        connection.execute(sa.text("SET lock_timeout = '5s'"))
        wanted = [
            (table, f"VACUUM FULL {table}" if keys and table in PG_REWRITE else f"VACUUM {table}")
            for table in (*PG_REWRITE, *PG_VACUUM)
            if table in present
        ]
        for table, statement in wanted:
            try:
                connection.execute(sa.text(statement))
                done.append(table)
            except sa.exc.OperationalError as exc:
                _log.warning(
                    "purging residue skipped a table",
                    extra={"table": table, "error": type(exc).__name__},
                )
    return {
        "vacuumed": done,
        "complete": not older and len(done) == len(wanted),
    }


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
