"""Backup fixtures: an app on the Freshdesk simulator, people seeded through real ingest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from flask import Flask

from plugin.extensions import db
from plugin.ingest.pipeline import ingest_ticket
from plugin.ingest.settings import ingest_settings
from plugin.models import Ticket, VaultItem
from plugin.retention.vendors import close_adapters
from plugin.vault import get_vault
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.retention.conftest import FAST, StatusLog, freshdesk, freshdesk_settings

__all__ = ["freshdesk"]


@dataclass
class Person:
    subject_id: str
    values: set[str]  # every value of theirs the vault can read


@pytest.fixture
def backup_app(
    make_app: Callable[..., Flask], freshdesk: tuple[FreshdeskSimulator, StatusLog]
) -> Iterator[Flask]:
    """An app on the simulator; erasure jobs are only queued (no vendor calls needed here)."""
    sim, _ = freshdesk
    app = make_app(freshdesk=freshdesk_settings(sim), erasure_dispatch="off", **FAST)
    with app.app_context():
        yield app
        close_adapters(app)


def readable(subject_id: str | None = None) -> dict[str, str]:
    """Vault item id -> clear value for every item that still decrypts."""
    vault = get_vault()
    query = sa.select(VaultItem)
    if subject_id is not None:
        query = query.where(VaultItem.subject_id == subject_id)
    out = {}
    for item in db.session.scalars(query):
        try:
            out[item.id] = vault.decrypt(item)
        except Exception:  # noqa: BLE001, S112 - unreadable is what we count
            continue
    return out


def seed(
    app: Flask, sim: FreshdeskSimulator, name: str, email: str, phone: str, body: str
) -> Person:
    """A contact and ticket in the simulator, run through the real ingest pipeline."""
    contact = sim.add_contact(name, email, phone)
    tid = sim.add_ticket(f"Sag for {name}", body, contact, notify=False)
    adapter = app.extensions["datavagt.adapters"]["freshdesk"]
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)), ingest_settings())
    db.session.commit()
    ticket = db.session.get(Ticket, result.ticket_id)
    assert ticket is not None and ticket.subject_id
    return Person(ticket.subject_id, set(readable(ticket.subject_id).values()))


def cli_env(app: Flask) -> dict[str, str]:
    settings = app.extensions["datavagt.settings"]
    return {
        "DATAVAGT_DATABASE_URL": settings.database_url,
        "DATAVAGT_KEY_FILE": str(settings.key_file),
        "DATAVAGT_SCHEDULER": "off",
    }


def run_cli(app: Flask, *args: str) -> Result:
    """Run ``datavagt`` in a separate app (like another process) on the same database."""
    from plugin.cli.main import cli

    db.session.remove()  # the CLI gets the database to itself (SQLite locks)
    result = CliRunner().invoke(cli, list(args), env=cli_env(app), catch_exceptions=False)
    db.session.remove()
    return result


def backup_file(tmp_path: Path, name: str = "backup.dvb") -> Path:
    return tmp_path / "backups" / name
