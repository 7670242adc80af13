"""The vault: originals encrypted under per-subject data keys (envelope encryption)."""

from __future__ import annotations

from plugin.vault.errors import VaultError, VaultShredded, VaultTampered
from plugin.vault.vault import Vault, get_vault, retire_unused_masters, rewrap_all

__all__ = [
    "Vault",
    "VaultError",
    "VaultShredded",
    "VaultTampered",
    "get_vault",
    "retire_unused_masters",
    "rewrap_all",
]
