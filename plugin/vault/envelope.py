"""Envelope crypto: AES-GCM values under data keys, data keys wrapped by a master key."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from plugin.vault.errors import VaultTampered

NONCE_BYTES = 12
KEY_BYTES = 32
# Version byte in front of a wrapped key so a future scheme can coexist with this one.
WRAP_VERSION = b"\x01"


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def value_aad(
    item_id: str, subject_id: str, key_id: str, ticket_id: int | None, field: str
) -> bytes:
    """Associated data binding a ciphertext to its row: swapped values fail to decrypt."""
    ticket = "" if ticket_id is None else str(ticket_id)
    return "\x1f".join(("datavagt-value-v1", item_id, subject_id, key_id, ticket, field)).encode()


def key_aad(key_id: str, subject_id: str) -> bytes:
    """Associated data binding a wrapped data key to its subject-key row."""
    return "\x1f".join(("datavagt-dek-v1", key_id, subject_id)).encode()


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt with a fresh random nonce; returns (nonce, ciphertext with tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Decrypt and authenticate; VaultTampered when anything does not match."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise VaultTampered("ciphertext failed authentication") from exc


def wrap(master: bytes, data_key: bytes, aad: bytes) -> bytes:
    """Wrap a data key under a master key (AES-GCM, its own nonce, bound by ``aad``)."""
    nonce, sealed = seal(master, data_key, aad)
    return WRAP_VERSION + nonce + sealed


def unwrap(master: bytes, wrapped: bytes, aad: bytes) -> bytes:
    """Unwrap a data key; VaultTampered when it was altered or moved to another row."""
    if not wrapped.startswith(WRAP_VERSION) or len(wrapped) < 1 + NONCE_BYTES + KEY_BYTES:
        raise VaultTampered("wrapped data key has an unknown format")
    nonce = wrapped[1 : 1 + NONCE_BYTES]
    return open_sealed(master, nonce, wrapped[1 + NONCE_BYTES :], aad)
