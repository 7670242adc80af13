"""Done-when: a backup taken before an erasure never brings the person back, and expires.

Seeded through the real ingest path (Freshdesk simulator), erased with request_erasure,
backed up and restored with the ``datavagt backup`` commands, aged with a fake clock.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask

from plugin.backup.service import _lines, open_backup
from plugin.erasure.service import request_erasure
from plugin.extensions import db
from plugin.keys.provider import get_provider
from plugin.models import DataSubject, Finding, SubjectIdentifier, SubjectKey, VaultItem
from plugin.vault import envelope
from plugin.worker.key_epochs import epoch_job
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.backup.conftest import Person, backup_file, readable, run_cli, seed
from tests.retention.conftest import StatusLog

JENS = (
    "<p>Hej, jeg hedder Jens Hansen og mit CPR er 010190-1234.</p>"
    "<p>Min IBAN er DK50 0040 0440 1162 43. Ring på 20 12 34 56.</p>"
    "<p>Jeg bor på Vesterbrogade 12, 1620 København V. Jeg har diabetes.</p>"
)
KAREN = (
    "<p>Mit navn er Karen Nielsen, CPR 020285-4321, telefon 31 41 59 26.</p>"
    "<p>Jeg er gravid og har brug for en ny tid.</p>"
)


def _people(app: Flask, sim: FreshdeskSimulator) -> tuple[Person, Person]:
    jens = seed(app, sim, "Jens Hansen", "jens@example.com", "+45 20 12 34 56", JENS)
    karen = seed(app, sim, "Karen Nielsen", "karen@example.org", "+45 31 41 59 26", KAREN)
    return jens, karen


def _backup_rows(app: Flask, path: Path, table: str) -> list[dict]:
    """Rows of one table as the backup file holds them (decrypted with the live keys)."""
    opened = open_backup(app, path)
    lines = _lines(opened)
    layout = next(lines)["tables"]
    index = [name for name, _ in layout].index(table)
    columns = layout[index][1]
    return [
        dict(zip(columns, values, strict=True))
        for line in lines
        if isinstance(line, list) and line[0] == index
        for values in [line[1]]
    ]


def _every_key_in_file(key_file: Path) -> list[bytes]:
    """Every key the key file still holds (master, blind index, signing), decoded."""
    data = json.loads(key_file.read_text())

    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    keys = [unb64(e["key"]) for e in data["master_keys"] if e.get("key")]
    keys.append(unb64(data["index_key"]))
    keys.extend(unb64(e["private"]) for e in data["signing_keys"])
    return keys


def test_restore_keeps_erased_person_erased_then_backup_expires(
    backup_app: Flask, freshdesk: tuple[FreshdeskSimulator, StatusLog], tmp_path: Path
) -> None:
    sim, _ = freshdesk
    jens, karen = _people(backup_app, sim)
    # The real ingest vaulted every kind the issue names (not vacuous).
    for value in ("010190-1234", "DK50 0040 0440 1162 43", "20 12 34 56", "diabetes"):
        assert value in jens.values, jens.values
    assert any("Vesterbrogade 12" in v for v in jens.values), jens.values
    assert "020285-4321" in karen.values

    target = backup_file(tmp_path)
    target.parent.mkdir()
    created = run_cli(backup_app, "backup", "create", "--to", str(target))
    assert created.exit_code == 0, created.output
    assert "at most 36 days" in created.output

    request_erasure(jens.subject_id, actor_id="dpo-1", reason="Art. 17 request")
    assert readable(jens.subject_id) == {}

    restored = run_cli(backup_app, "backup", "restore", "--from", str(target), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "1 erased people in the backup kept erased" in restored.output

    # 0 of Jens's values readable through the vault; every one of Karen's intact.
    everything = readable()
    assert not jens.values & set(everything.values())
    assert set(readable(karen.subject_id).values()) == karen.values
    subject = db.session.get(DataSubject, jens.subject_id)
    assert subject is not None and subject.erased_at is not None
    for model in (VaultItem, Finding, SubjectIdentifier):
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.subject_id == jens.subject_id)
        )
        assert count == 0, model
    keys = db.session.scalars(
        sa.select(SubjectKey).where(SubjectKey.subject_id == jens.subject_id)
    ).all()
    assert keys and all(k.wrapped_key is None and k.destroyed_at for k in keys)

    # The backup itself still holds Jens's wrapped data key (that is what must expire).
    in_backup = [
        r
        for r in _backup_rows(backup_app, target, "subject_keys")
        if r["subject_id"] == jens.subject_id
    ]
    assert in_backup and all(r["wrapped_key"] for r in in_backup)
    provider = get_provider(backup_app)
    first_epoch = provider.active_epoch_id()
    row = in_backup[0]
    wrapped = base64.b64decode(row["wrapped_key"])
    aad = envelope.key_aad(row["id"], row["subject_id"])
    assert len(provider.unwrap(row["master_key_id"], wrapped, aad)) == 32  # opens today

    # Past the window: epochs rotate daily, each destroyed 35 days after it was superseded.
    now = datetime.now(UTC)
    first = epoch_job(backup_app, now=now + timedelta(days=1, minutes=1))
    assert first.rotated_to and first.rewrapped >= 1 and not first.destroyed
    early = epoch_job(backup_app, now=now + timedelta(days=35))
    assert first_epoch not in early.destroyed  # not before retention has passed
    late = epoch_job(backup_app, now=now + timedelta(days=36, minutes=2))
    assert first_epoch in late.destroyed and not late.blocked

    refused = run_cli(backup_app, "backup", "restore", "--from", str(target), "--yes")
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1
    assert f"epoch key {first_epoch} was destroyed" in refused.output
    # Nothing left in the key file opens the backup's file key or Jens's wrapped data key.
    header = json.loads(target.read_bytes()[20 : 20 + int.from_bytes(target.read_bytes()[16:20])])
    file_wrapped = base64.b64decode(header["wrapped_key"])
    file_aad = "\x1f".join(("datavagt-backup-key-v1", header["backup_id"], header["epoch"]))
    for key in _every_key_in_file(backup_app.extensions["datavagt.settings"].key_file):
        for blob, bound in ((wrapped, aad), (file_wrapped, file_aad.encode())):
            if len(key) != 32:
                continue
            with pytest.raises(Exception):  # noqa: B017 - any failure: InvalidTag
                AESGCM(key).decrypt(blob[1:13], blob[13:], bound)
    # Live data survived every rotation: Karen's values still read.
    db.session.expire_all()
    assert set(readable(karen.subject_id).values()) == karen.values


def test_restored_database_files_never_hold_the_erased_key(
    backup_app: Flask,
    freshdesk: tuple[FreshdeskSimulator, StatusLog],
    make_app,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Restored into a new SQLite file: neither the file nor its WAL holds Jens's key bytes."""
    from plugin.database import upgrade

    if not backup_app.extensions["datavagt.settings"].database_url.startswith("sqlite"):
        pytest.skip("inspects SQLite's files; PostgreSQL never gets the rows (same code path)")
    from tests.retention.conftest import freshdesk_settings

    sim, _ = freshdesk
    jens, karen = _people(backup_app, sim)
    target = backup_file(tmp_path)
    target.parent.mkdir()
    assert run_cli(backup_app, "backup", "create", "--to", str(target)).exit_code == 0
    request_erasure(jens.subject_id, actor_id="dpo-1", reason="Art. 17 request")
    secrets_of_jens = [
        base64.b64decode(r["wrapped_key"])
        for r in _backup_rows(backup_app, target, "subject_keys")
        if r["subject_id"] == jens.subject_id
    ]
    secrets_of_jens += [
        base64.b64decode(r["ciphertext"])
        for r in _backup_rows(backup_app, target, "vault_items")
        if r["subject_id"] == jens.subject_id
    ]
    assert secrets_of_jens
    path = tmp_path / "restored.db"
    upgrade(f"sqlite:///{path}")
    fresh = make_app(database_url=f"sqlite:///{path}", freshdesk=freshdesk_settings(sim))
    with fresh.app_context():
        result = run_cli(fresh, "backup", "restore", "--from", str(target), "--yes")
        assert result.exit_code == 0, result.output
        assert set(readable(karen.subject_id).values()) == karen.values
        assert not jens.values & set(readable().values())
        db.session.remove()
        db.engine.dispose()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("restored.db*") if p.is_file())
    assert len(on_disk) > 10_000
    for blob in secrets_of_jens:
        assert blob not in on_disk
    assert b"010190-1234" not in on_disk and b"Vesterbrogade" not in on_disk
