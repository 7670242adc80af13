"""``datavagt backup``: bad input, tampering, no key material, journal and tombstones."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.database import downgrade
from plugin.erasure.service import request_erasure
from plugin.extensions import db
from plugin.keys.journal import journal_path
from plugin.keys.journal import read as read_journal
from plugin.models import AuditEvent, DataSubject, SubjectIdentifier, SubjectKey, VaultItem
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.backup.conftest import backup_file, readable, run_cli, seed
from tests.retention.conftest import StatusLog

BODY = "<p>Mit CPR er 010190-1234 og jeg har diabetes. Ring på 20 12 34 56.</p>"


def _count(model: type) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


@pytest.fixture
def seeded(
    backup_app: Flask, freshdesk: tuple[FreshdeskSimulator, StatusLog], tmp_path: Path
) -> tuple[Flask, Path]:
    sim, _ = freshdesk
    seed(backup_app, sim, "Jens Hansen", "jens@example.com", "+45 20 12 34 56", BODY)
    target = backup_file(tmp_path)
    target.parent.mkdir()
    result = run_cli(backup_app, "backup", "create", "--to", str(target))
    assert result.exit_code == 0, result.output
    return backup_app, target


def _refused(app: Flask, *args: str) -> str:
    before = (_count(VaultItem), _count(AuditEvent))
    result = run_cli(app, "backup", "restore", *args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("datavagt: error: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output
    assert (_count(VaultItem), _count(AuditEvent)) == before  # nothing was changed
    return result.output


def test_backup_file_holds_no_key_material_and_no_values(seeded: tuple[Flask, Path]) -> None:
    app, target = seeded
    blob = target.read_bytes()
    data = json.loads(app.extensions["datavagt.settings"].key_file.read_text())
    texts = [e["key"] for e in data["master_keys"]] + [data["index_key"]]
    texts += [e["private"] for e in data["signing_keys"]]
    assert len(texts) >= 3
    for text in texts:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        for form in (raw, text.encode(), base64.b64encode(raw), raw.hex().encode()):
            assert form not in blob
    for value in (b"010190-1234", b"diabetes", b"jens@example.com", b"Jens"):
        assert value not in blob
    # Nor any data key in clear: the live wrapped keys are inside only encrypted.
    for wrapped in db.session.scalars(sa.select(SubjectKey.wrapped_key)):
        assert bytes(wrapped) not in blob and base64.b64encode(bytes(wrapped)) not in blob
    assert target.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_create_refuses_existing_file_and_missing_folder(
    seeded: tuple[Flask, Path], tmp_path: Path
) -> None:
    app, target = seeded
    again = run_cli(app, "backup", "create", "--to", str(target))
    assert again.exit_code == 1 and "already exists" in again.output
    nowhere = run_cli(app, "backup", "create", "--to", str(tmp_path / "no" / "such" / "f"))
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.output


def test_restore_refuses_bad_files(seeded: tuple[Flask, Path], tmp_path: Path) -> None:
    app, target = seeded
    assert "does not exist" in _refused(app, "--from", str(tmp_path / "missing.dvb"), "--yes")
    garbage = tmp_path / "garbage.dvb"
    garbage.write_bytes(b"PK\x03\x04 this is a zip file, not a backup" * 20)
    assert "not a Datavagt backup file" in _refused(app, "--from", str(garbage), "--yes")
    assert "is a folder" in _refused(app, "--from", str(tmp_path), "--yes")

    blob = target.read_bytes()
    flipped = tmp_path / "flipped.dvb"
    flipped.write_bytes(blob[:-40] + bytes([blob[-40] ^ 1]) + blob[-39:])
    assert "altered" in _refused(app, "--from", str(flipped), "--yes")
    truncated = tmp_path / "truncated.dvb"
    truncated.write_bytes(blob[: len(blob) - 17])
    assert "truncated" in _refused(app, "--from", str(truncated), "--yes")
    appended = tmp_path / "appended.dvb"
    appended.write_bytes(blob + b"\x00\x00\x00\x10" + b"x" * 16)
    assert "after its last segment" in _refused(app, "--from", str(appended), "--yes")
    # A header edited to claim another backup id: the file key's binding no longer holds.
    other_id = blob.replace(b'"backup_id": "bk-', b'"backup_id": "bk-0', 1)
    other_id = other_id[:16] + (int.from_bytes(other_id[16:20]) + 1).to_bytes(4) + other_id[20:]
    renamed = tmp_path / "renamed.dvb"
    renamed.write_bytes(other_id)
    assert "altered or belongs to another key file" in _refused(
        app, "--from", str(renamed), "--yes"
    )


def test_restore_refuses_a_foreign_key_file(
    seeded: tuple[Flask, Path], make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    app, target = seeded
    settings = app.extensions["datavagt.settings"]
    from click.testing import CliRunner

    from plugin.cli.main import cli

    db.session.remove()
    from plugin.keys import Keyring

    Keyring(tmp_path / "other" / "datavagt.keys")  # another installation's key file
    env = {
        "DATAVAGT_DATABASE_URL": settings.database_url,
        "DATAVAGT_KEY_FILE": str(tmp_path / "other" / "datavagt.keys"),
        "DATAVAGT_SCHEDULER": "off",
    }
    result = CliRunner().invoke(cli, ["backup", "restore", "--from", str(target), "--yes"], env=env)
    assert result.exit_code == 1
    assert "is not in this key file" in result.output


def test_restore_asks_and_refuses_without_yes_off_a_terminal(seeded: tuple[Flask, Path]) -> None:
    app, target = seeded
    assert "pass --yes" in _refused(app, "--from", str(target))


def test_restore_refuses_another_schema_revision(seeded: tuple[Flask, Path]) -> None:
    app, target = seeded
    url = app.extensions["datavagt.settings"].database_url
    db.session.remove()
    db.engine.dispose()
    downgrade(url, "-1")
    result = run_cli(app, "backup", "restore", "--from", str(target), "--yes")
    assert result.exit_code == 1
    assert "schema revision" in result.output and result.output.count("\n") == 1


def test_restore_refuses_a_tampered_journal(
    seeded: tuple[Flask, Path], freshdesk: tuple[FreshdeskSimulator, StatusLog]
) -> None:
    app, target = seeded
    sim, _ = freshdesk
    other = seed(app, sim, "Ole Olsen", "ole@example.net", "+45 40 40 40 40", BODY)
    jens = db.session.scalars(sa.select(DataSubject).where(DataSubject.id != other.subject_id))
    first = next(iter(jens)).id
    request_erasure(first, actor_id="dpo-1", reason="request")
    request_erasure(other.subject_id, actor_id="dpo-1", reason="request")
    path = journal_path(app.extensions["datavagt.settings"].key_file)
    lines = path.read_bytes().splitlines(keepends=True)
    assert len(lines) == 2 and [e.subject_id for e in read_journal(path)] == [
        first,
        other.subject_id,
    ]
    assert b"@" not in path.read_bytes() and b"010190" not in path.read_bytes()
    path.write_bytes(lines[1])  # the first erasure removed: the chain no longer starts clean
    assert "breaks the chain" in _refused(app, "--from", str(target), "--yes")


def test_tombstones_erase_strong_matches_only(
    seeded: tuple[Flask, Path], freshdesk: tuple[FreshdeskSimulator, StatusLog]
) -> None:
    """A journalled e-mail tombstone erases the subject holding it; a phone one does not."""
    app, target = seeded
    jens = db.session.scalars(sa.select(DataSubject)).one()
    idents = db.session.scalars(
        sa.select(SubjectIdentifier).where(SubjectIdentifier.subject_id == jens.id)
    ).all()
    email = next(i for i in idents if i.kind == "email")
    phone = next(i for i in idents if i.kind == "phone")
    path = journal_path(app.extensions["datavagt.settings"].key_file)
    from plugin.keys.journal import append

    # Erasures of other subject ids (e.g. a split) that share Jens's phone / e-mail.
    append(path, "someone-sharing-the-phone", [(phone.kind, phone.vendor, phone.blind_index)])
    before = set(readable(jens.id).values())
    result = run_cli(app, "backup", "restore", "--from", str(target), "--yes")
    assert result.exit_code == 0, result.output
    assert set(readable(jens.id).values()) == before  # a shared phone erases nobody else
    append(path, "someone-with-the-email", [(email.kind, email.vendor, email.blind_index)])
    result = run_cli(app, "backup", "restore", "--from", str(target), "--yes")
    assert result.exit_code == 0, result.output
    assert readable(jens.id) == {} and db.session.get(DataSubject, jens.id).erased_at


def test_restore_is_audited_and_replaces_later_changes(
    seeded: tuple[Flask, Path], freshdesk: tuple[FreshdeskSimulator, StatusLog]
) -> None:
    app, target = seeded
    sim, _ = freshdesk
    seed(app, sim, "Ole Olsen", "ole@example.net", "+45 40 40 40 40", BODY)
    subjects = _count(DataSubject)
    result = run_cli(app, "backup", "restore", "--from", str(target), "--yes")
    assert result.exit_code == 0, result.output
    assert _count(DataSubject) == subjects - 1  # the later person is not in the backup
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None and event.details["operation"] == "backup_restore"
    verify = run_cli(app, "audit", "verify")
    assert verify.exit_code == 0, verify.output
    # Serial ids continue after the restored ones (PostgreSQL sequences reset).
    later = seed(app, sim, "Per Persen", "per@example.net", "+45 50 50 50 50", BODY)
    assert later.values


def test_backup_is_one_snapshot(
    backup_app: Flask,
    freshdesk: tuple[FreshdeskSimulator, StatusLog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write committed while the backup runs is in neither half of it."""
    from plugin.backup import service
    from plugin.backup.service import create_backup

    sim, _ = freshdesk
    seed(backup_app, sim, "Jens Hansen", "jens@example.com", "+45 20 12 34 56", BODY)
    url = backup_app.extensions["datavagt.settings"].database_url
    other = sa.create_engine(url, poolclass=sa.pool.NullPool)
    original = service._revision

    def revision_then_write(conn: sa.Connection) -> str:
        value = original(conn)  # the snapshot is pinned now; another client commits
        with other.begin() as writer:
            writer.execute(
                sa.text(
                    "INSERT INTO data_subjects (id, created_at, legal_hold) "
                    "VALUES ('late-subject', CURRENT_TIMESTAMP, false)"
                )
            )
        return value

    monkeypatch.setattr(service, "_revision", revision_then_write)
    target = tmp_path / "snap.dvb"
    db.session.commit()
    result = create_backup(backup_app, target)
    other.dispose()
    assert db.session.get(DataSubject, "late-subject") is not None
    db.session.remove()
    restored = run_cli(backup_app, "backup", "restore", "--from", str(target), "--yes")
    assert restored.exit_code == 0, restored.output
    assert db.session.get(DataSubject, "late-subject") is None
    assert f"{result.rows} rows" in restored.output


def test_backup_epochs_command_lists_and_runs(seeded: tuple[Flask, Path]) -> None:
    app, _ = seeded
    listed = run_cli(app, "backup", "epochs")
    assert listed.exit_code == 0 and "active" in listed.output
    epoch = app.extensions["datavagt.keyring"].active_master_id
    assert epoch in listed.output and "destroyed" not in listed.output
    ran = run_cli(app, "backup", "epochs", "--run")
    assert ran.exit_code == 0 and "rotated to: -" in ran.output  # the epoch is not a day old


def test_restore_keeps_pending_vendor_deletions_and_ends_sessions(
    seeded: tuple[Flask, Path],
) -> None:
    """An erasure after the backup queued vendor jobs: the restore must not drop them."""
    from datetime import timedelta

    from plugin.models import AdminSession, OutboxJob
    from plugin.models.types import utcnow

    app, target = seeded
    jens = db.session.scalars(sa.select(DataSubject)).one()
    db.session.add(
        AdminSession(
            id_hash="a" * 64, actor_id="dpo", role="dpo", expires_at=utcnow() + timedelta(hours=1)
        )
    )
    db.session.commit()
    request_erasure(jens.id, actor_id="dpo-1", reason="request")
    jobs = {
        (j.dedupe_key, j.status)
        for j in db.session.scalars(sa.select(OutboxJob).where(OutboxJob.subject_id == jens.id))
    }
    assert jobs  # the ticket deletion (and contact erasure) at the vendor
    result = run_cli(app, "backup", "restore", "--from", str(target), "--yes")
    assert result.exit_code == 0, result.output
    after = {
        (j.dedupe_key, j.status)
        for j in db.session.scalars(sa.select(OutboxJob).where(OutboxJob.subject_id == jens.id))
    }
    assert after == jobs
    assert _count(AdminSession) == 0  # sessions are not restored: everyone signs in again


def test_restore_into_a_new_database_continues_ids(
    seeded: tuple[Flask, Path],
    freshdesk: tuple[FreshdeskSimulator, StatusLog],
    make_app,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Disaster recovery: the backup restored into an empty database on another server."""
    from contextlib import ExitStack

    from plugin.database import throwaway_schema, upgrade
    from tests.conftest import PG_URL
    from tests.retention.conftest import freshdesk_settings

    app, target = seeded
    sim, _ = freshdesk
    original = set(readable().values())
    settings = app.extensions["datavagt.settings"]
    with ExitStack() as stack:
        if settings.database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / 'new.db'}"
            upgrade(url)
        else:
            url = stack.enter_context(throwaway_schema(PG_URL, "r"))
        fresh = make_app(
            database_url=url, freshdesk=freshdesk_settings(sim), erasure_dispatch="off"
        )
        with fresh.app_context():
            result = run_cli(fresh, "backup", "restore", "--from", str(target), "--yes")
            assert result.exit_code == 0, result.output
            assert set(readable().values()) == original
            # New rows get new ids (PostgreSQL serial counters were moved past the restored).
            later = seed(fresh, sim, "Per Persen", "per@example.net", "+45 50 50 50 50", BODY)
            assert later.values and set(readable(later.subject_id).values()) == later.values
            db.session.remove()
            db.engine.dispose()


def test_consent_wording_survives_restore_and_create_is_audited(
    backup_app: Flask, tmp_path: Path
) -> None:
    """Published wording is immutable (database triggers): restore keeps it, adds none twice."""
    from plugin.auth.guard import Actor
    from plugin.consent.texts import seed_texts
    from plugin.models import ConsentText

    published = seed_texts(
        backup_app.extensions["datavagt.manifest"], Actor(id="dpo", role="dpo", source="cli")
    )
    db.session.commit()
    assert published > 0
    target = tmp_path / "c.dvb"
    created = run_cli(backup_app, "backup", "create", "--to", str(target))
    assert created.exit_code == 0, created.output
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None and event.details["operation"] == "backup_create"
    assert event.details["rows"] > 0 and event.details["epoch"]
    texts = _count(ConsentText)
    result = run_cli(backup_app, "backup", "restore", "--from", str(target), "--yes")
    assert result.exit_code == 0, result.output
    assert _count(ConsentText) == texts == published


def test_environment_master_key_backups_work_but_never_expire(
    make_app,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    import secrets

    from plugin.vault import get_vault

    master = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    app = make_app(master_key=master, key_file=str(tmp_path / "env.keys"))
    with app.app_context():
        subject = DataSubject()
        db.session.add(subject)
        db.session.flush()
        get_vault().encrypt(subject.id, "kept under the env key", field="f", kind="k")
        db.session.commit()
        env = {"DATAVAGT_MASTER_KEY": master}
        target = tmp_path / "env.dvb"
        from click.testing import CliRunner

        from plugin.cli.main import cli
        from tests.backup.conftest import cli_env

        runner = CliRunner()
        db.session.remove()
        created = runner.invoke(
            cli, ["backup", "create", "--to", str(target)], env={**cli_env(app), **env}
        )
        assert created.exit_code == 0, created.output
        assert "never expires" in created.output
        restored = runner.invoke(
            cli,
            ["backup", "restore", "--from", str(target), "--yes"],
            env={**cli_env(app), **env},
        )
        assert restored.exit_code == 0, restored.output
        assert set(readable().values()) == {"kept under the env key"}
        listed = runner.invoke(cli, ["backup", "epochs"], env={**cli_env(app), **env})
        assert listed.exit_code == 1 and "no epochs" in listed.output


def test_restore_refuses_a_journal_older_than_the_backup(
    backup_app: Flask, freshdesk: tuple[FreshdeskSimulator, StatusLog], tmp_path: Path
) -> None:
    """Data folder restored wholesale (old journal with it): the erasure would be lost."""
    sim, _ = freshdesk
    jens = seed(backup_app, sim, "Jens Hansen", "jens@example.com", "+45 20 12 34 56", BODY)
    ole = seed(backup_app, sim, "Ole Olsen", "ole@example.net", "+45 40 40 40 40", BODY)
    path = journal_path(backup_app.extensions["datavagt.settings"].key_file)
    request_erasure(jens.subject_id, actor_id="dpo-1", reason="request")
    old_journal = path.read_bytes()
    request_erasure(ole.subject_id, actor_id="dpo-1", reason="request")
    target = tmp_path / "later.dvb"
    assert run_cli(backup_app, "backup", "create", "--to", str(target)).exit_code == 0
    path.write_bytes(old_journal)  # a valid chain, but shorter than when the backup was taken
    assert "older than this backup" in _refused(backup_app, "--from", str(target), "--yes")
    path.unlink()
    assert "older than this backup" in _refused(backup_app, "--from", str(target), "--yes")
