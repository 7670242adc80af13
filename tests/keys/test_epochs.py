"""Master-key epochs: rotation schedule, re-wrap, destruction after retention, the window."""

from __future__ import annotations

import base64
import json
import logging
import secrets
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.config import load_settings
from plugin.extensions import db
from plugin.keys import Keyring, KeyringError
from plugin.keys.epochs import backup_window_end, run_epochs
from plugin.keys.provider import KeyFileProvider, KeyProvider, get_provider
from plugin.models import AuditEvent, DataSubject, SubjectKey, VaultItem
from plugin.vault import Vault, VaultError, get_vault
from plugin.worker.key_epochs import epoch_job
from plugin.worker.scheduler import JOBS, build_scheduler, resolve


@pytest.fixture
def t0(app: Flask) -> datetime:
    """Now, taken after the app made its first epoch (fake clocks count from here)."""
    return datetime.now(UTC)


def _subject() -> str:
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    return subject.id


def _items(n: int) -> list[VaultItem]:
    vault = get_vault()
    items = [vault.encrypt(_subject(), f"value {i}", field="f", kind="k") for i in range(n)]
    db.session.commit()
    return items


def _file(app: Flask) -> dict:
    return json.loads(app.extensions["datavagt.settings"].key_file.read_text())


def test_provider_protocol_and_key_file_default(app: Flask) -> None:
    provider = get_provider(app)
    assert isinstance(provider, KeyProvider) and isinstance(provider, KeyFileProvider)
    assert provider.supports_epochs
    [epoch] = provider.list_epochs()
    assert epoch.id == provider.active_epoch_id() and not epoch.destroyed
    wrapped = provider.wrap(epoch.id, b"k" * 32, b"aad")
    assert provider.unwrap(epoch.id, wrapped, b"aad") == b"k" * 32
    with pytest.raises(KeyringError, match="failed authentication"):
        provider.unwrap(epoch.id, wrapped, b"other aad")
    # Keys never in the database: no column anywhere holds the master key bytes.
    key = app.extensions["datavagt.keyring"].master_key(epoch.id)
    _items(2)
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            assert all(key not in bytes(v) for v in row if isinstance(v, bytes))


def test_rotation_waits_for_the_epoch_and_records_times(app: Flask, t0: datetime) -> None:
    _items(3)
    first = get_provider(app).active_epoch_id()
    early = epoch_job(app, now=t0 + timedelta(hours=23))
    assert early.rotated_to is None and early.rewrapped == 0
    run = epoch_job(app, now=t0 + timedelta(days=1, minutes=1))
    assert run.rotated_to and run.rotated_to != first and run.rewrapped == 3
    entries = _file(app)["master_keys"]
    assert entries[0]["superseded_at"].startswith((t0 + timedelta(days=1)).date().isoformat())
    assert entries[0]["destroyed_at"] is None and entries[0]["key"]
    assert entries[1]["superseded_at"] is None
    assert get_vault().master_ids_in_use() == {run.rotated_to}


def test_destroyed_only_after_retention_and_gone_from_the_file(app: Flask, t0: datetime) -> None:
    items = _items(2)
    first = get_provider(app).active_epoch_id()
    old_key = app.extensions["datavagt.keyring"].master_key(first)
    epoch_job(app, now=t0 + timedelta(days=1, minutes=1))
    # Retention counts from the epoch's planned end (created + 1 day) => due at day 36.
    assert first not in epoch_job(app, now=t0 + timedelta(days=35, hours=23)).destroyed
    run = epoch_job(app, now=t0 + timedelta(days=36, minutes=5))
    assert first in run.destroyed
    text = app.extensions["datavagt.settings"].key_file.read_text()
    assert base64.urlsafe_b64encode(old_key).decode().rstrip("=") not in text
    entry = next(e for e in _file(app)["master_keys"] if e["id"] == first)
    assert entry["key"] is None and entry["destroyed_at"] and entry["superseded_at"]
    with pytest.raises(KeyringError, match="destroyed"):
        Keyring(app.extensions["datavagt.settings"].key_file).master_key(first)
    # Live values were re-wrapped before: still readable from a fresh process.
    reopened = Vault(Keyring(app.extensions["datavagt.settings"].key_file))
    db.session.expire_all()
    for i, item in enumerate(items):
        assert reopened.decrypt(db.session.get(VaultItem, item.id)) == f"value {i}"


def test_a_key_live_data_uses_is_never_destroyed(
    app: Flask, t0: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    items = _items(3)
    provider = get_provider(app)
    settings = app.extensions["datavagt.settings"]
    vault = get_vault()
    first = provider.active_epoch_id()
    # Re-wrapping never ran (e.g. the worker was down): the old epoch must survive.
    run_epochs(settings, provider, vault.keys_under, lambda: 0, t0 + timedelta(days=2))
    with caplog.at_level(logging.ERROR):
        run = run_epochs(settings, provider, vault.keys_under, lambda: 0, t0 + timedelta(days=90))
    assert run.blocked == {first: 3} and first not in run.destroyed
    assert "destruction blocked" in caplog.text and "value" not in caplog.text
    assert vault.decrypt(items[0]) == "value 0"
    # Once re-wrapped it goes on the next run; the job's runs are audited.
    later = epoch_job(app, now=t0 + timedelta(days=90, minutes=1))
    assert first in later.destroyed and later.rewrapped == 3
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None and event.action == "key_rotation"
    assert event.details["job"] == "key_epochs" and event.details["destroyed"] == [first]


def test_rewrap_is_batched_and_resumable(app: Flask) -> None:
    _items(5)
    vault = get_vault()
    app.extensions["datavagt.keyring"].rotate_master()
    assert vault.rewrap_all(max_batches=1, batch=2) == 2  # interrupted after one batch
    assert vault.rewrap_all(max_batches=1, batch=2) == 2  # resumes with the rest
    assert vault.rewrap_all(batch=2) == 1
    assert vault.rewrap_all(batch=2) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SubjectKey)
            .where(SubjectKey.rewrapped_at.is_not(None))
        )
        == 5
    )


def test_backup_window_end(app: Flask, t0: datetime) -> None:
    settings = app.extensions["datavagt.settings"]
    erased = datetime.now(UTC)  # after the app made its first epoch
    assert settings.key_epoch_days == 1 and settings.backup_retention_days == 35
    end = backup_window_end(erased, settings, now=t0)
    assert end == erased + timedelta(days=36, hours=1)
    custom = load_settings(
        {"key_file": str(settings.key_file), "database_url": settings.database_url},
        environ={"DATAVAGT_KEY_EPOCH_DAYS": "7", "DATAVAGT_BACKUP_RETENTION_DAYS": "30"},
    )
    assert backup_window_end(erased, custom, now=t0) == erased + timedelta(days=37, hours=1)
    # A destruction that was blocked and happened late moves the window out to that time.
    _items(1)
    provider = get_provider(app)
    first = provider.active_epoch_id()
    vault = get_vault()
    run_epochs(settings, provider, vault.keys_under, lambda: 0, t0 + timedelta(days=2))
    blocked_now = t0 + timedelta(days=50)
    overdue = backup_window_end(erased, settings, now=blocked_now)
    assert overdue is not None and overdue >= blocked_now  # not yet destroyed: no earlier date
    late = epoch_job(app, now=t0 + timedelta(days=60))
    assert first in late.destroyed
    assert backup_window_end(erased, settings, now=t0 + timedelta(days=61)) == t0 + timedelta(
        days=60
    )


def test_environment_master_key_has_no_epochs(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    master = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    app = make_app(master_key=master, key_file=str(tmp_path / "env.keys"))
    with app.app_context():
        _items(1)
        run = epoch_job(app, now=datetime.now(UTC) + timedelta(days=400))
        assert run.skipped and "DATAVAGT_MASTER_KEY" in run.skipped and not run.destroyed
        with pytest.raises(KeyringError, match="epochs need the key file"):
            get_provider(app).create_epoch()
        assert backup_window_end(datetime.now(UTC), app.extensions["datavagt.settings"]) is None
        db.session.expire_all()
        item = db.session.scalars(sa.select(VaultItem)).one()
        assert get_vault().decrypt(item) == "value 0"


def test_destroyed_epoch_makes_its_data_keys_unreadable(app: Flask) -> None:
    """The vault answers VaultError (not a traceback) for a key under a destroyed epoch."""
    items = _items(1)
    keyring = app.extensions["datavagt.keyring"]
    first = keyring.active_master_id
    keyring.rotate_master()
    keyring.destroy_master(first)  # by hand, without re-wrapping: data is lost
    with pytest.raises(VaultError, match="not available"):
        get_vault().decrypt(items[0])
    with pytest.raises(KeyringError, match="active"):
        keyring.destroy_master(keyring.active_master_id)


def test_key_epochs_job_is_scheduled(app: Flask) -> None:
    assert JOBS["key_epochs"] == "plugin.worker.key_epochs:epoch_job"
    assert resolve(JOBS["key_epochs"]) is epoch_job
    manifest_jobs = app.extensions["datavagt.manifest"].data["jobs"]
    assert manifest_jobs["key_epochs"]["enabled"]
    scheduler = build_scheduler(app)
    assert "key_epochs" in {job.id for job in scheduler.get_jobs()}


def test_two_schedulers_rotate_once(app: Flask, t0: datetime) -> None:
    """Two processes with the same key file both found the epoch due: one new epoch."""
    settings = app.extensions["datavagt.settings"]
    one = KeyFileProvider(Keyring(settings.key_file))
    two = KeyFileProvider(Keyring(settings.key_file))
    old = one.active_epoch_id()
    later = t0 + timedelta(days=2)
    new = one.create_epoch(later, if_active=old)
    assert two.create_epoch(later, if_active=old) == new != old  # the second one backs off
    assert [e.id for e in two.list_epochs()] == [old, new]


def test_key_file_from_before_epochs(app: Flask, t0: datetime) -> None:
    """Entries without epoch times: superseded when the next key began, destroyed on time."""
    path = app.extensions["datavagt.settings"].key_file
    data = json.loads(path.read_text())
    old = data["master_keys"][0]
    for entry in data["master_keys"]:
        entry.pop("superseded_at"), entry.pop("destroyed_at")
    second = {
        "id": "mk-second",
        "key": old["key"][::-1],
        "created": (t0 + timedelta(hours=2)).isoformat(),
    }
    data["master_keys"].append(second)
    path.write_text(json.dumps(data))
    provider = get_provider(app)
    first, now_active = provider.list_epochs()
    assert first.superseded_at == now_active.created and now_active.superseded_at is None
    provider.create_epoch(t0 + timedelta(days=3))
    entries = json.loads(path.read_text())["master_keys"]
    assert entries[0]["superseded_at"] == second["created"]  # not moved to the rotation time
    assert entries[1]["superseded_at"] == (t0 + timedelta(days=3)).isoformat()
