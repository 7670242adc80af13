"""Vault errors; messages name ids only, never values."""

from __future__ import annotations


class VaultError(Exception):
    """A vault operation failed."""


class VaultShredded(VaultError):
    """The subject's data key was destroyed: the value is gone for good."""


class VaultTampered(VaultError):
    """Authentication failed: ciphertext, nonce, binding or wrapped key was altered."""
