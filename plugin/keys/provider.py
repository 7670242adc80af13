"""Where master-key epochs live: a small KMS/HSM-style interface, the key file by default.

The vault and backups only ever ask a provider to wrap or unwrap a short secret (a data key,
a backup file key) under an epoch, to start a new epoch, to destroy an old one and to list
them. A KMS or HSM can implement the same five calls without ever exporting a key; the
embedded default keeps the epoch keys in the key file. Keys are never in the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask

from plugin.keys.keyring import Keyring, KeyringError

EXTENSION = "datavagt.keys.provider"
# Same byte layout the vault has always written (version, nonce, ciphertext with tag), so
# data keys wrapped before providers existed still open.
WRAP_VERSION = b"\x01"
NONCE_BYTES = 12


class EpochGone(KeyringError):
    """The epoch's key was destroyed (or never existed here): what it wrapped is unreadable."""


class WrapFailed(KeyringError):
    """Unwrapping failed: the wrapped bytes or their binding were altered."""


@dataclass(frozen=True)
class Epoch:
    """One master-key epoch: ids and times only, never key bytes."""

    id: str
    created: datetime
    superseded_at: datetime | None
    destroyed_at: datetime | None

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None


@runtime_checkable
class KeyProvider(Protocol):
    """What Datavagt needs from a key store (key file, KMS, HSM)."""

    @property
    def supports_epochs(self) -> bool:
        """False when epochs cannot be created or destroyed (a single fixed key)."""

    def active_epoch_id(self) -> str:
        """The epoch new secrets are wrapped under."""

    def list_epochs(self) -> list[Epoch]:
        """Every epoch known, oldest first, destroyed ones included (with their times)."""

    def create_epoch(self, now: datetime | None = None, if_active: str | None = None) -> str:
        """Start a new active epoch; the previous one is superseded at ``now``.

        With ``if_active``: only if that epoch is still the active one (else return the
        current one), so concurrent schedulers rotate once.
        """

    def destroy_epoch(self, epoch_id: str, now: datetime | None = None) -> None:
        """Destroy a superseded epoch's key for good."""

    def wrap(self, epoch_id: str, secret: bytes, aad: bytes) -> bytes:
        """Encrypt ``secret`` under the epoch, bound to ``aad``."""

    def unwrap(self, epoch_id: str, wrapped: bytes, aad: bytes) -> bytes:
        """The secret; EpochGone when the epoch was destroyed, WrapFailed when altered."""


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class KeyFileProvider:
    """The embedded provider: epoch keys are the key file's master keys.

    With DATAVAGT_MASTER_KEY there is one fixed key and no epochs: nothing can be rotated
    or destroyed by Datavagt, so backups stay readable for as long as that key exists.
    """

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    @property
    def supports_epochs(self) -> bool:
        return not self.keyring.env_mode

    def active_epoch_id(self) -> str:
        self.keyring.reload()  # another process may have started a new epoch
        return self.keyring.active_master_id

    def list_epochs(self) -> list[Epoch]:
        self.keyring.reload()
        return [
            Epoch(
                id=e["id"],
                created=_parse(e["created"]),  # type: ignore[arg-type]
                superseded_at=_parse(e["superseded_at"]),
                destroyed_at=_parse(e["destroyed_at"]),
            )
            for e in self.keyring.master_entries()
        ]

    def create_epoch(self, now: datetime | None = None, if_active: str | None = None) -> str:
        if self.keyring.env_mode:
            raise KeyringError(
                "DATAVAGT_MASTER_KEY is set: master-key epochs need the key file "
                "(unset it to let Datavagt rotate and destroy epoch keys)"
            )
        return self.keyring.rotate_master(now, if_active=if_active)

    def destroy_epoch(self, epoch_id: str, now: datetime | None = None) -> None:
        if self.keyring.env_mode:
            raise KeyringError("DATAVAGT_MASTER_KEY is set: Datavagt cannot destroy that key")
        self.keyring.destroy_master(epoch_id, now)

    def _key(self, epoch_id: str) -> bytes:
        try:
            return self.keyring.master_key(epoch_id)
        except KeyringError:
            # Another process may have rotated since this one loaded the file.
            self.keyring.reload()
            try:
                return self.keyring.master_key(epoch_id)
            except KeyringError as exc:
                raise EpochGone(str(exc)) from exc

    def wrap(self, epoch_id: str, secret: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return WRAP_VERSION + nonce + AESGCM(self._key(epoch_id)).encrypt(nonce, secret, aad)

    def unwrap(self, epoch_id: str, wrapped: bytes, aad: bytes) -> bytes:
        key = self._key(epoch_id)
        if not wrapped.startswith(WRAP_VERSION) or len(wrapped) < 1 + NONCE_BYTES + 16:
            raise WrapFailed("wrapped key has an unknown format")
        nonce, sealed = wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :]
        try:
            return AESGCM(key).decrypt(nonce, sealed, aad)
        except (InvalidTag, ValueError) as exc:
            raise WrapFailed("wrapped key failed authentication") from exc


def get_provider(app: Flask) -> KeyProvider:
    """The app's key provider; a KMS/HSM integration registers its own under EXTENSION."""
    provider = app.extensions.get(EXTENSION)
    if provider is None:
        provider = KeyFileProvider(app.extensions["datavagt.keyring"])
        app.extensions[EXTENSION] = provider
    return provider
