"""The key file: created 0600 on first run, rotated in place, never stored in the database."""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FORMAT_VERSION = 1


class KeyringError(Exception):
    """The key file is unreadable, malformed or lacks a key that data refers to."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _now(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).isoformat()


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair with its key id."""

    kid: str
    private: Ed25519PrivateKey
    created: str
    retired_at: str | None

    @cached_property
    def public(self) -> Ed25519PublicKey:
        """The public half, for verification and the JWKS (derived once per key)."""
        return self.private.public_key()

    def jwk(self) -> dict[str, str]:
        """The public key as an OKP JWK (RFC 8037)."""
        raw = self.public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64(raw),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }


class Keyring:
    """Loads, creates and rotates the keys in one JSON file readable only by its owner."""

    def __init__(
        self, path: Path, master_key_b64: str | None = None, *, create: bool = True
    ) -> None:
        self.path = Path(path)
        self._env_master = _unb64(master_key_b64) if master_key_b64 else None
        if self._env_master is not None and len(self._env_master) != 32:
            raise KeyringError("DATAVAGT_MASTER_KEY: expected 32 bytes, base64-encoded")
        # create=False (commands that must not create files): a missing file is reported
        # on first use, so configuration errors found later in start-up are named first.
        self._stamp: tuple[int, ...] | None = None  # the file as last read or written
        # kid -> (its file entry, the parsed key): parsing an Ed25519 key costs ~0.5 ms, and
        # every token check and signature needs one.
        self._parsed: dict[str, tuple[tuple[str, str, str | None], SigningKey]] = {}
        self._loaded: dict[str, Any] | None = (
            self._load_or_create() if create or self.path.exists() else None
        )

    @property
    def missing(self) -> bool:
        """True when the key file was not there and was not created (``create=False``)."""
        return self._loaded is None

    @property
    def _data(self) -> dict[str, Any]:
        if self._loaded is None:
            raise KeyringError(
                f"no key file at {self.path} — set DATAVAGT_KEY_FILE to this database's key "
                "file (`datavagt db upgrade` creates one for a new database)"
            )
        return self._loaded

    @_data.setter
    def _data(self, value: dict[str, Any]) -> None:
        self._loaded = value

    # -- file handling -------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        # Several sidecar processes may start at once: one creates, the others read.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _file_stamp(self) -> tuple[int, ...] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        # The file is only ever replaced whole (os.replace): a new inode and new times.
        return (found.st_ino, found.st_mtime_ns, found.st_ctime_ns, found.st_size)

    def _read(self) -> dict[str, Any]:
        stamp = self._file_stamp()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise KeyringError(f"DATAVAGT_KEY_FILE: cannot read {self.path}") from exc
        except ValueError as exc:
            raise KeyringError(
                f"DATAVAGT_KEY_FILE: {self.path} is not a Datavagt key file"
            ) from exc
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise KeyringError(f"DATAVAGT_KEY_FILE: {self.path} is not a Datavagt key file")
        self._stamp = stamp
        return data

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        self._stamp = self._file_stamp()

    def _load_or_create(self) -> dict[str, Any]:
        # An existing file is read without the lock (it is only ever replaced whole, by
        # os.replace), so reading keys never leaves a ``.lock`` file behind.
        if self.path.exists():
            return self._read()
        with self._locked():
            if self.path.exists():
                return self._read()
            data = {
                "version": FORMAT_VERSION,
                "master_keys": [] if self._env_master else [self._new_master()],
                "index_key": _b64(secrets.token_bytes(32)),
                "signing_keys": [self._new_signing()],
            }
            self._write(data)
            return data

    def reload(self) -> None:
        """Re-read the file if it changed since this keyring last read or wrote it (another
        process may have rotated keys; the file is replaced whole, so a new inode and times
        show it); one stat call when it did not."""
        if self._loaded is not None and self._stamp is not None:
            if self._file_stamp() == self._stamp:
                return
        self._data = self._read()

    @staticmethod
    def _new_master(now: datetime | None = None) -> dict[str, Any]:
        # One master key per epoch; superseded_at/destroyed_at record its life in the file.
        return {
            "id": "mk-" + secrets.token_hex(6),
            "key": _b64(secrets.token_bytes(32)),
            "created": _now(now),
            "superseded_at": None,
            "destroyed_at": None,
        }

    @staticmethod
    def _new_signing() -> dict[str, Any]:
        private = Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {
            "kid": "sk-" + secrets.token_hex(6),
            "private": _b64(raw),
            "created": _now(),
            "retired_at": None,
        }

    # -- master keys (one per epoch) ---------------------------------------------------
    @property
    def env_mode(self) -> bool:
        """True when the master key comes from DATAVAGT_MASTER_KEY (no epochs then)."""
        return self._env_master is not None

    @property
    def active_master_id(self) -> str:
        """The master key new data keys are wrapped with."""
        if self._env_master is not None:
            return "env-" + hashlib.sha256(self._env_master).hexdigest()[:12]
        return self._data["master_keys"][-1]["id"]

    def master_key(self, key_id: str) -> bytes:
        """The master key with this id (raises when it is gone)."""
        if self._env_master is not None and key_id == self.active_master_id:
            return self._env_master
        for entry in self._data["master_keys"]:
            if entry["id"] == key_id:
                if not entry.get("key"):
                    raise KeyringError(
                        f"master key {key_id} is not in the key file "
                        f"(destroyed {entry.get('destroyed_at')})"
                    )
                return _unb64(entry["key"])
        raise KeyringError(f"master key {key_id} is not in the key file")

    def master_entries(self) -> list[dict[str, Any]]:
        """Every master-key record, oldest first, without key bytes (ids and times only).

        Files written before epochs lack ``superseded_at``: an entry was superseded when the
        next one was created.
        """
        entries = self._data["master_keys"]
        out = []
        for i, entry in enumerate(entries):
            superseded = entry.get("superseded_at")
            if superseded is None and i < len(entries) - 1:
                superseded = entries[i + 1]["created"]
            out.append(
                {
                    "id": entry["id"],
                    "created": entry["created"],
                    "superseded_at": superseded,
                    "destroyed_at": entry.get("destroyed_at"),
                }
            )
        return out

    def rotate_master(self, now: datetime | None = None, if_active: str | None = None) -> str:
        """Add a new active master key (a new epoch); the previous one is marked superseded.

        Old keys stay until data keys are re-wrapped and backup retention has passed. With
        ``if_active``, nothing happens when another process already rotated away from it
        (two schedulers never start two epochs for one).
        """
        if self._env_master is not None:
            raise KeyringError("the master key comes from DATAVAGT_MASTER_KEY: rotate it there")
        with self._locked():
            self._data = self._read()
            if if_active is not None and self._data["master_keys"][-1]["id"] != if_active:
                return self._data["master_keys"][-1]["id"]
            entries = self._data["master_keys"]
            for i, entry in enumerate(entries):
                if entry.get("superseded_at") is None:
                    # Files from before epochs: an older key ended when the next one began.
                    last = i == len(entries) - 1
                    entry["superseded_at"] = _now(now) if last else entries[i + 1]["created"]
            entry = self._new_master(now)
            self._data["master_keys"].append(entry)
            self._write(self._data)
        return entry["id"]

    def destroy_master(self, key_id: str, now: datetime | None = None) -> None:
        """Overwrite a superseded master key's bytes in the file; its record (times) stays."""
        with self._locked():
            self._data = self._read()
            entries = self._data["master_keys"]
            for entry in entries:
                if entry["id"] != key_id:
                    continue
                if entry is entries[-1]:
                    raise KeyringError(f"master key {key_id} is the active one")
                if entry.get("key"):
                    entry["key"] = None
                    entry["destroyed_at"] = _now(now)
                    entry["superseded_at"] = entry.get("superseded_at") or entry["destroyed_at"]
                    self._write(self._data)
                return
            raise KeyringError(f"master key {key_id} is not in the key file")

    def retire_masters_except(self, keep: set[str]) -> None:
        """Destroy master keys no data key refers to any more (ignores backup retention)."""
        for entry in self.master_entries()[:-1]:
            if entry["id"] not in keep and entry["destroyed_at"] is None:
                self.destroy_master(entry["id"])

    @property
    def index_key(self) -> bytes:
        """The HMAC key for blind indexes of identifiers (stable across rotations)."""
        return _unb64(self._data["index_key"])

    # -- signing keys --------------------------------------------------------------
    def signing_keys(self) -> list[SigningKey]:
        """Every signing key still published, newest last (each parsed once while its file
        entry stays the same)."""
        keys = []
        for e in self._data["signing_keys"]:
            entry = (e["private"], e["created"], e.get("retired_at"))
            known = self._parsed.get(e["kid"])
            if known is None or known[0] != entry:
                key = SigningKey(
                    kid=e["kid"],
                    private=Ed25519PrivateKey.from_private_bytes(_unb64(e["private"])),
                    created=e["created"],
                    retired_at=e.get("retired_at"),
                )
                known = self._parsed[e["kid"]] = (entry, key)
            keys.append(known[1])
        return keys

    @property
    def active_signing_key(self) -> SigningKey:
        """The key that signs new tokens, checkpoints, receipts and certificates."""
        return self.signing_keys()[-1]

    def signing_key(self, kid: str) -> SigningKey:
        """A published signing key by id (raises for an unknown kid)."""
        for key in self.signing_keys():
            if key.kid == kid:
                return key
        raise KeyringError(f"unknown signing key {kid}")

    def rotate_signing(self) -> str:
        """Add a new signing key; the old one stays published (verification) but retired."""
        with self._locked():
            self._data = self._read()
            for entry in self._data["signing_keys"]:
                entry["retired_at"] = entry.get("retired_at") or _now()
            entry = self._new_signing()
            self._data["signing_keys"].append(entry)
            self._write(self._data)
        return entry["kid"]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """Every published public key as a JWK Set."""
        return {"keys": [key.jwk() for key in self.signing_keys()]}
