"""The keyring parses each Ed25519 key once and re-reads its file only when it changed,
yet a rotation by another process (another Keyring on the same file) is still seen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from plugin.auth.tokens import issue_token, verify_token
from plugin.keys import Keyring
from plugin.keys.provider import KeyFileProvider


def test_token_checks_parse_the_key_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keyring = Keyring(tmp_path / "keys")
    token = issue_token(keyring, agent="a-1", role="agent")
    parsed: list[bytes] = []
    real = ed25519.Ed25519PrivateKey.from_private_bytes

    def counting(data: bytes) -> ed25519.Ed25519PrivateKey:
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(ed25519.Ed25519PrivateKey, "from_private_bytes", counting)
    for _ in range(20):
        assert verify_token(keyring, token)["sub"] == "a-1"
    assert len(parsed) <= 1


def test_rotation_elsewhere_is_seen_and_reload_skips_an_unchanged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys"
    here, there = Keyring(path), Keyring(path)
    old = issue_token(here, agent="a-1", role="agent")
    reads: list[int] = []
    real_read = Keyring._read

    def counting(self: Keyring) -> dict:
        reads.append(1)
        return real_read(self)

    monkeypatch.setattr(Keyring, "_read", counting)
    here.reload()
    assert reads == []  # unchanged: one stat, no read
    new_kid = there.rotate_signing()
    here.reload()
    assert reads  # changed by the other keyring: read again
    assert here.active_signing_key.kid == new_kid
    assert verify_token(here, old)["sub"] == "a-1"  # the retired key still verifies
    assert verify_token(here, issue_token(there, agent="a-2", role="agent"))["sub"] == "a-2"


def test_master_rotation_elsewhere_reaches_the_provider(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    here, there = Keyring(path), Keyring(path)
    provider = KeyFileProvider(here)
    before = provider.active_epoch_id()
    assert provider.active_epoch_id() == before
    after = there.rotate_master()
    assert after != before
    assert provider.active_epoch_id() == after


def test_a_file_edited_in_place_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    keyring = Keyring(path)
    data = json.loads(path.read_text())
    data["signing_keys"][-1]["retired_at"] = "2026-01-01T00:00:00Z"
    path.write_text(json.dumps(data))
    keyring.reload()
    assert keyring.active_signing_key.retired_at == "2026-01-01T00:00:00Z"
