"""What a forensic look at the live database files finds after an erasure: nothing.

A person is ingested the real way (Freshdesk webhook -> inbox -> classify -> vault), erased
through the API, and then the raw bytes of the database are searched: SQLite's main file,
``-wal`` and ``-shm``; PostgreSQL's relation files (the data directory when this user may
read it, else ``pg_read_binary_file`` as the superuser the tests connect as). Neither a
plaintext value nor the wrapped data key may be there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask

from adapters.basic_auth import basic_auth_header
from plugin.cli.main import cli
from plugin.extensions import db
from plugin.ingest.processor import drain
from plugin.models import (
    AuditEvent,
    DataSubject,
    Finding,
    SubjectIdentifier,
    SubjectKey,
    Ticket,
    VaultItem,
)
from plugin.retention.dispatcher import Dispatcher
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.retention.conftest import retention_app
from tests.retention.test_api import headers
from tests.retention.test_cli import runner

__all__ = ["retention_app", "runner"]

NAME = "Karoline Sørensen-Bech"
EMAIL = "karoline.bech@example.dk"
PHONE = "+4522334455"
CPR = "070761-4285"
IBAN = "DK5000400440116243"
ADDRESS = "Vesterbrogade 123, 1620 København V"
HEALTH = "diagnosticeret med type 1-diabetes"
DESCRIPTION = (
    f"Hej, mit CPR-nummer er {CPR} og min konto er {IBAN}. Ring på {PHONE[3:]}. "
    f"Send brevet til {ADDRESS}. Jeg er {HEALTH} og kan ikke møde op."
)


def _variants(value: str) -> set[bytes]:
    """The byte forms a value can take on disk: UTF-8 and the \\u-escaped JSON form."""
    forms = {value.encode(), json.dumps(value).strip('"').encode()}
    return {f for f in forms if f}


SECRETS = {
    "cpr": CPR,
    "cpr digits": CPR.replace("-", ""),
    "iban": IBAN,
    "phone": PHONE[3:],
    "phone e164": PHONE,
    "address": "Vesterbrogade 123",
    "health": HEALTH,
    "e-mail": EMAIL,
    "name": "Sørensen-Bech",
}


def _sqlite_files(url: str) -> list[Path]:
    path = Path(url.removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def _pg_bytes(app: Flask) -> dict[str, bytes]:
    """Every relation file of the test's schema (tables, TOAST, indexes), raw."""
    files: dict[str, bytes] = {}
    with db.engine.connect() as conn:
        conn.execute(sa.text("CHECKPOINT"))  # shared buffers to the files we read
        data_dir = Path(conn.execute(sa.text("SHOW data_directory")).scalar_one())
        rows = conn.execute(
            sa.text(
                "SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname IN (current_schema(), 'pg_toast') "
                "AND pg_relation_filepath(c.oid) IS NOT NULL "
                "AND (n.nspname = current_schema() OR c.oid IN (SELECT reltoastrelid "
                "  FROM pg_class t JOIN pg_namespace tn ON tn.oid = t.relnamespace "
                "  WHERE tn.nspname = current_schema()) OR c.oid IN (SELECT i.indexrelid "
                "  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                "  WHERE t.reltoastrelid <> 0 AND t.relnamespace = "
                "  (SELECT oid FROM pg_namespace WHERE nspname = current_schema())))"
            )
        ).all()
        for name, relative in rows:
            path = data_dir / relative
            segments = [path, *sorted(path.parent.glob(f"{path.name}.[0-9]*"))]
            for segment in segments:
                try:
                    files[f"{name}:{segment.name}"] = segment.read_bytes()
                except PermissionError:
                    # Not the postgres OS user: read it through the server (superuser).
                    blob = conn.execute(
                        sa.text("SELECT pg_read_binary_file(:p, 0, 1073741824, true)"),
                        {"p": str(segment)},
                    ).scalar_one()
                    files[f"{name}:{segment.name}"] = bytes(blob or b"")
                except FileNotFoundError:
                    continue
    return files


def _live_bytes(app: Flask) -> dict[str, bytes]:
    url = app.extensions["datavagt.settings"].database_url
    if url.startswith("sqlite"):
        return {p.name: p.read_bytes() for p in _sqlite_files(url)}
    return _pg_bytes(app)


def _found(blobs: dict[str, bytes], needles: dict[str, bytes]) -> list[str]:
    return [
        f"{label} in {name}"
        for name, blob in blobs.items()
        for label, needle in needles.items()
        if needle in blob
    ]


def _ingest_person(
    app: Flask,
    sim: FreshdeskSimulator,
    who: tuple[str, str, str] = (NAME, EMAIL, PHONE),
    text: str = DESCRIPTION,
) -> tuple[str, int, str]:
    """A Freshdesk contact and ticket, delivered as the webhook an automation rule sends."""
    contact = sim.add_contact(*who)
    ticket = sim.add_ticket("Min sag", text, contact, notify=False)
    body = json.dumps(
        {
            "freshdesk_webhook": {
                "ticket_id": str(ticket),
                "triggered_event": "{ticket_action:created}",
                "requester_email": who[1],
                "requester_name": who[0],
                "requester_phone": who[2],
            }
        }
    )
    auth = basic_auth_header(sim.webhook_user, sim.webhook_password)
    answer = app.test_client().post(
        "/webhooks/freshdesk",
        data=body,
        headers={"Authorization": auth, "Content-Type": "application/json"},
    )
    assert answer.status_code in (200, 202), answer.get_data(as_text=True)
    assert drain() >= 1
    db.session.expire_all()
    row = db.session.scalars(sa.select(Ticket).where(Ticket.external_id == str(ticket))).one()
    assert row.subject_id is not None
    stored = sim.tickets[ticket]["description"]
    assert "[CPR" in stored and CPR not in stored  # tokenised at the vendor
    return row.subject_id, contact, str(ticket)


def test_erased_person_leaves_no_bytes_in_the_live_database(
    erasure_app: Flask, freshdesk: tuple[FreshdeskSimulator, Any]
) -> None:
    sim, _log = freshdesk
    subject_id, contact, ticket = _ingest_person(erasure_app, sim)
    # Someone else arrives afterwards: the erased rows are then not the last on their
    # pages, so an emptied page cannot simply be cut off the end of the file.
    for n in range(3):
        _ingest_person(
            erasure_app,
            sim,
            (f"Ole Madsen {n}", f"ole{n}@example.com", f"+45311122{n}3"),
            f"Mit CPR-nummer er 120385-16{n}7, konto DK38000076432{n}8731, Algade 4{n}, Roskilde.",
        )
    keys = db.session.scalars(
        sa.select(SubjectKey.wrapped_key).where(SubjectKey.subject_id == subject_id)
    ).all()
    assert keys and all(keys)
    needles = {label: form for label, value in SECRETS.items() for form in _variants(value)}
    needles.update({f"wrapped key {i}": bytes(k) for i, k in enumerate(keys)})
    # The blind indexes too: the index key outlives the person (it is not per subject), so a
    # left-over HMAC would still confirm "this e-mail address was a customer".
    indexes = db.session.scalars(
        sa.select(SubjectIdentifier.blind_index).where(SubjectIdentifier.subject_id == subject_id)
    ).all()
    assert len(indexes) == 3  # vendor contact, e-mail, phone
    needles.update({f"blind index {i}": v.encode() for i, v in enumerate(indexes)})
    sealed = db.session.scalars(
        sa.select(VaultItem.ciphertext).where(VaultItem.subject_id == subject_id)
    ).all()
    assert len(sealed) >= 5
    needles.update({f"ciphertext {i}": bytes(c) for i, c in enumerate(sealed)})
    # Finding dedupe keys are HMACs of the value under the same long-lived index key.
    dedupe = db.session.scalars(
        sa.select(Finding.dedupe_key).where(Finding.subject_id == subject_id)
    ).all()
    needles.update({f"dedupe key {i}": v.encode() for i, v in enumerate(dedupe) if v})
    before = _found(_live_bytes(erasure_app), needles)
    assert any(label.startswith("wrapped key") for label in before)  # the search does see

    answer = erasure_app.test_client().post(
        f"/api/subjects/{subject_id}/erase", headers=headers(erasure_app), json={}
    )
    assert answer.status_code == 202, answer.get_data(as_text=True)
    Dispatcher(erasure_app, threads=1).run_until_idle(timeout=30)
    assert contact not in sim.contacts
    assert db.session.query(SubjectIdentifier).filter_by(subject_id=subject_id).count() == 0

    db.session.remove()
    assert _found(_live_bytes(erasure_app), needles) == []


@pytest.mark.parametrize("value", [CPR, IBAN, HEALTH])
def test_the_search_finds_a_value_that_is_there(erasure_app: Flask, value: str) -> None:
    """Control: a value written in clear is found, so an empty result above means absence."""
    db.session.execute(
        sa.text("CREATE TABLE forensic_probe (v TEXT)")
        if erasure_app.extensions["datavagt.settings"].database_url.startswith("sqlite")
        else sa.text("CREATE TABLE forensic_probe (v TEXT)")
    )
    db.session.execute(sa.text("INSERT INTO forensic_probe VALUES (:v)"), {"v": value})
    db.session.commit()
    assert _found(_live_bytes(erasure_app), {"probe": value.encode()})


@pytest.mark.parametrize(
    "command",
    [
        ["subject", "erase", "{subject}", "--reason", f"Bedt om det, CPR {CPR}"],
        ["subject", "erase", "{subject}", "--reason", f"refund to {IBAN}"],
        ["retention", "hold", "--subject", "{subject}", "--reason", f"Tvist, {HEALTH}"],
    ],
)
def test_a_reason_typed_at_the_cli_never_stores_personal_data(
    runner: CliRunner, retention_app: Flask, freshdesk: tuple, command: list[str]
) -> None:
    """The API refuses such reasons; the CLI went straight to the audit trail, which is
    kept for years and out of erasure's reach, so the value outlived the person."""
    sim, _log = freshdesk
    subject_id, _contact, _ticket = _ingest_person(retention_app, sim)
    db.session.remove()
    argv = [part.replace("{subject}", subject_id) for part in command]
    result = runner.invoke(cli, argv)
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output
    assert "Do not write personal data" in message and "personoplysninger" in message
    value = argv[-1].split(" ", 1)[-1].removeprefix("CPR ").removeprefix("to ")
    assert value not in result.output
    db.session.expire_all()
    person = db.session.get(DataSubject, subject_id)
    assert person.erased_at is None and not person.legal_hold
    assert db.session.query(AuditEvent).filter(AuditEvent.reason.is_not(None)).count() == 0
    assert _found(_live_bytes(retention_app), {"reason": value.encode()}) == []


def test_every_sqlite_connection_zeroes_deleted_content(tmp_path: Path) -> None:
    """Debian's SQLite builds default to secure_delete=1, others (python.org, Homebrew) to 0:
    the connect hook sets it, so a build whose default is off still zeroes freed space."""
    import sqlite3

    from plugin.database import sqlite_pragmas

    connection = sqlite3.connect(tmp_path / "plain.db")
    connection.execute("PRAGMA secure_delete=OFF")  # a build whose default is off
    sqlite_pragmas(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()
