"""Vault: round trips, crypto-shredding, tamper detection and master-key rotation."""

from __future__ import annotations

import base64
import secrets

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, SubjectKey, VaultItem
from plugin.vault import Vault, VaultShredded, VaultTampered, get_vault


def _subject() -> str:
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    return subject.id


def _fresh(item_id: str) -> VaultItem:
    db.session.expire_all()
    item = db.session.get(VaultItem, item_id)
    assert item is not None
    return item


def test_round_trip_and_no_clear_value_in_database(app: Flask) -> None:
    vault = get_vault()
    assert vault is get_vault()
    sid = _subject()
    item = vault.encrypt(sid, "Jens Hansen 010190-1234 ÆØÅ", field="description", kind="cpr")
    db.session.commit()
    assert vault.decrypt(_fresh(item.id)) == "Jens Hansen 010190-1234 ÆØÅ"
    raw = db.session.execute(sa.text("SELECT ciphertext FROM vault_items")).scalar_one()
    assert b"010190" not in bytes(raw)
    key_raw = db.session.execute(sa.text("SELECT wrapped_key FROM subject_keys")).scalar_one()
    keyring = app.extensions["datavagt.keyring"]
    assert keyring.master_key(keyring.active_master_id) not in bytes(key_raw)
    assert len(bytes(key_raw)) == 1 + 12 + 32 + 16  # version, nonce, key, tag: never bare


def test_one_data_key_per_subject(app: Flask) -> None:
    vault = get_vault()
    a, b = _subject(), _subject()
    items = [vault.encrypt(s, f"v{i}", field="f", kind="k") for i, s in enumerate([a, a, b])]
    assert items[0].key_id == items[1].key_id != items[2].key_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubjectKey)) == 2


def test_empty_and_large_values(app: Flask) -> None:
    vault = get_vault()
    sid = _subject()
    big = "x" * 1_000_000
    assert vault.decrypt(vault.encrypt(sid, "", field="f", kind="k")) == ""
    assert vault.decrypt(vault.encrypt(sid, big, field="f", kind="k")) == big


def test_shred_makes_every_item_unreadable_even_with_master_key(app: Flask) -> None:
    vault = get_vault()
    sid, other = _subject(), _subject()
    mine = [
        vault.encrypt(sid, f"secret {i}", field="f", kind="k", ticket_id=None) for i in range(3)
    ]
    theirs = vault.encrypt(other, "keep me", field="f", kind="k")
    db.session.commit()
    assert vault.shred(sid) == 3
    db.session.commit()
    for item in mine:
        with pytest.raises(VaultShredded):
            vault.decrypt(_fresh(item.id))
    assert vault.decrypt(_fresh(theirs.id)) == "keep me"
    # The master key alone opens nothing: no wrapped data key is left for the subject.
    rows = db.session.scalars(sa.select(SubjectKey).where(SubjectKey.subject_id == sid)).all()
    assert rows and all(r.wrapped_key is None and r.destroyed_at is not None for r in rows)
    assert vault.shred(sid) == 0
    # New data after erasure gets a new key; the old items stay unreadable.
    fresh = vault.encrypt(sid, "new", field="f", kind="k")
    assert vault.decrypt(fresh) == "new"
    with pytest.raises(VaultShredded):
        vault.decrypt(_fresh(mine[0].id))


def test_swapped_ciphertexts_are_detected(app: Flask) -> None:
    vault = get_vault()
    sid = _subject()
    a = vault.encrypt(sid, "value A", field="subject", kind="email")
    b = vault.encrypt(sid, "value B", field="description", kind="email")
    db.session.commit()
    rows = {
        r.id: (bytes(r.nonce), bytes(r.ciphertext))
        for r in db.session.execute(sa.text("SELECT id, nonce, ciphertext FROM vault_items"))
    }
    swap = sa.text("UPDATE vault_items SET nonce = :n, ciphertext = :c WHERE id = :i")
    db.session.execute(swap, {"n": rows[b.id][0], "c": rows[b.id][1], "i": a.id})
    db.session.execute(swap, {"n": rows[a.id][0], "c": rows[a.id][1], "i": b.id})
    db.session.commit()
    with pytest.raises(VaultTampered):
        vault.decrypt(_fresh(a.id))
    with pytest.raises(VaultTampered):
        vault.decrypt(_fresh(b.id))


def test_binding_to_ticket_field_and_subject(app: Flask) -> None:
    vault = get_vault()
    sid, other = _subject(), _subject()
    item = vault.encrypt(sid, "value", field="subject", kind="email")
    db.session.commit()
    db.session.execute(sa.text("UPDATE vault_items SET field = 'description'"))
    db.session.commit()
    with pytest.raises(VaultTampered):
        vault.decrypt(_fresh(item.id))
    db.session.execute(sa.text("UPDATE vault_items SET field = 'subject', kind = 'phone'"))
    db.session.commit()
    # kind is descriptive only; subject and key moves are detected.
    assert vault.decrypt(_fresh(item.id)) == "value"
    vault.encrypt(other, "x", field="f", kind="k")
    other_key = db.session.scalar(sa.select(SubjectKey.id).where(SubjectKey.subject_id == other))
    db.session.execute(
        sa.text("UPDATE vault_items SET key_id = :k WHERE id = :i"), {"k": other_key, "i": item.id}
    )
    db.session.commit()
    with pytest.raises(VaultTampered):
        vault.decrypt(_fresh(item.id))


def test_flipped_bit_and_moved_wrapped_key(app: Flask) -> None:
    vault = get_vault()
    a, b = _subject(), _subject()
    ia = vault.encrypt(a, "A", field="f", kind="k")
    vault.encrypt(b, "B", field="f", kind="k")
    db.session.commit()
    keys = {r.subject_id: bytes(r.wrapped_key) for r in db.session.scalars(sa.select(SubjectKey))}
    db.session.execute(
        sa.text("UPDATE subject_keys SET wrapped_key = :w WHERE subject_id = :s"),
        {"w": keys[b], "s": a},
    )
    db.session.commit()
    with pytest.raises(VaultTampered):
        vault.decrypt(_fresh(ia.id))
    db.session.execute(
        sa.text("UPDATE subject_keys SET wrapped_key = :w WHERE subject_id = :s"),
        {"w": keys[a], "s": a},
    )
    item = _fresh(ia.id)
    broken = bytearray(item.ciphertext)
    broken[0] ^= 1
    item.ciphertext = bytes(broken)
    db.session.commit()
    with pytest.raises(VaultTampered):
        vault.decrypt(_fresh(ia.id))


def test_update_rectifies_in_place(app: Flask) -> None:
    vault = get_vault()
    sid = _subject()
    item = vault.encrypt(sid, "old@example.com", field="identifier.email", kind="email")
    old_nonce = item.nonce
    vault.update(item, "new@example.com")
    db.session.commit()
    fresh = _fresh(item.id)
    assert vault.decrypt(fresh) == "new@example.com"
    assert fresh.nonce != old_nonce and fresh.updated_at is not None
    vault.shred(sid)
    with pytest.raises(VaultShredded):
        vault.update(fresh, "x")


def test_rotation_rewraps_without_touching_ciphertexts(app: Flask) -> None:
    vault = get_vault()
    keyring = app.extensions["datavagt.keyring"]
    first = keyring.active_master_id
    subjects = [_subject() for _ in range(3)]
    items = [vault.encrypt(s, f"value {i}", field="f", kind="k") for i, s in enumerate(subjects)]
    shredded = _subject()
    vault.encrypt(shredded, "gone", field="f", kind="k")
    vault.shred(shredded)
    db.session.commit()
    before = {
        r.id: bytes(r.ciphertext)
        for r in db.session.execute(sa.text("SELECT id, ciphertext FROM vault_items"))
    }

    second = keyring.rotate_master()
    assert second != first and vault.master_ids_in_use() == {first}
    assert vault.rewrap_all() == 3
    assert vault.rewrap_all() == 0  # idempotent: nothing left under the old key
    assert vault.master_ids_in_use() == {second}
    after = {
        r.id: bytes(r.ciphertext)
        for r in db.session.execute(sa.text("SELECT id, ciphertext FROM vault_items"))
    }
    assert after == before
    keyring.retire_masters_except(vault.master_ids_in_use())
    with pytest.raises(Exception, match="not in the key file"):
        keyring.master_key(first)
    # A fresh keyring read from the file (old master gone) still decrypts everything.
    reopened = Vault(type(keyring)(keyring.path))
    for i, item in enumerate(items):
        assert reopened.decrypt(_fresh(item.id)) == f"value {i}"


def test_master_key_from_environment(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    master = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    app = make_app(master_key=master, key_file=str(tmp_path / "env.keys"))
    with app.app_context():
        vault = get_vault()
        sid = _subject()
        item = vault.encrypt(sid, "from env", field="f", kind="k")
        db.session.commit()
        assert db.session.get(SubjectKey, item.key_id).master_key_id.startswith("env-")
        assert vault.decrypt(_fresh(item.id)) == "from env"
    other = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    wrong = make_app(master_key=other, key_file=str(tmp_path / "env.keys"))
    with wrong.app_context():
        with pytest.raises(Exception, match="not available"):
            get_vault().decrypt(_fresh(item.id))


def test_keys_rotate_command_rewraps(app: Flask) -> None:
    from click.testing import CliRunner

    from plugin.cli.main import cli
    from plugin.vault import retire_unused_masters

    vault = get_vault()
    keyring = app.extensions["datavagt.keyring"]
    item = vault.encrypt(_subject(), "kept", field="f", kind="k")
    db.session.commit()
    first = keyring.active_master_id
    settings = app.extensions["datavagt.settings"]
    env = {
        "DATAVAGT_DATABASE_URL": settings.database_url,
        "DATAVAGT_KEY_FILE": str(settings.key_file),
        "DATAVAGT_SCHEDULER": "off",
    }
    result = CliRunner().invoke(cli, ["keys", "rotate"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 data keys re-wrapped" in result.output
    keyring.reload()
    db.session.expire_all()
    assert vault.master_ids_in_use() == {keyring.active_master_id} != {first}
    assert retire_unused_masters() == {keyring.active_master_id}
    assert vault.decrypt(_fresh(item.id)) == "kept"


def test_other_process_rotation_is_picked_up(app: Flask) -> None:
    """A long-running process sees a rotation done by `datavagt keys rotate` elsewhere."""
    from plugin.keys import Keyring

    vault = get_vault()
    keyring = app.extensions["datavagt.keyring"]
    old = keyring.active_master_id
    elsewhere = Keyring(keyring.path)  # e.g. the CLI process
    new = elsewhere.rotate_master()
    item = vault.encrypt(_subject(), "after rotation", field="f", kind="k")
    db.session.commit()
    assert db.session.get(SubjectKey, item.key_id).master_key_id == new != old
    reader = Vault(Keyring(keyring.path))
    assert reader.decrypt(_fresh(item.id)) == "after rotation"
