"""The models and the Alembic migrations agree, and migrations go down and up again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import plugin.models  # noqa: F401  (every table on the metadata)
from plugin import database
from plugin.extensions import db


def _differences(url: str) -> list[object]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(database.alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"


def test_models_match_migrations(database_url: str) -> None:
    assert _differences(database_url) == []


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    database.downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version"}
    database.upgrade(database_url, "head")
    assert set(db.metadata.tables) <= _tables(database_url)
    assert _differences(database_url) == []
