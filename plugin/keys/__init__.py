"""Key material: master keys (vault wrapping), blind-index key and Ed25519 signing keys."""

from __future__ import annotations

from plugin.keys.keyring import Keyring, KeyringError, SigningKey

__all__ = ["Keyring", "KeyringError", "SigningKey"]
