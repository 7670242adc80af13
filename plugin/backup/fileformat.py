"""The encrypted backup file: a clear header, then AES-GCM segments of compressed JSON lines.

Layout: MAGIC, a 4-byte header length, the header (JSON: format, backup id, epoch, schema
revision, times, the file key wrapped under the epoch), then segments, each a 4-byte length
and an AES-256-GCM ciphertext. The file key is random per backup and only ever stored
wrapped by the key provider, so the file holds no key material; once the epoch key is
destroyed nobody can open it. Segment nonces are a counter plus a last-segment flag and
every segment is bound to the header's hash (the STREAM construction), so a reordered,
dropped, truncated or appended segment and an edited header all fail authentication.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"DATAVAGT-BACKUP\x01"
FORMAT = 1
SEGMENT_BYTES = 1 << 20
MAX_HEADER_BYTES = 1 << 16
_LEN = struct.Struct(">I")


class BackupFileError(Exception):
    """Not a Datavagt backup, or altered / truncated."""


@dataclass(frozen=True)
class Header:
    """The clear part of a backup file (no personal data, no key material)."""

    raw: bytes
    fields: dict[str, Any]

    @property
    def backup_id(self) -> str:
        return str(self.fields["backup_id"])

    @property
    def epoch(self) -> str:
        return str(self.fields["epoch"])

    @property
    def revision(self) -> str:
        return str(self.fields["revision"])

    @property
    def created_at(self) -> str:
        return str(self.fields["created_at"])

    @property
    def wrapped_key(self) -> bytes:
        return base64.b64decode(self.fields["wrapped_key"])

    def key_aad(self) -> bytes:
        """What the wrapped file key is bound to: this backup and its epoch."""
        return "\x1f".join(("datavagt-backup-key-v1", self.backup_id, self.epoch)).encode()


def key_aad(backup_id: str, epoch: str) -> bytes:
    return "\x1f".join(("datavagt-backup-key-v1", backup_id, epoch)).encode()


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class Writer:
    """Compress, segment and encrypt JSON lines into ``out``."""

    def __init__(self, out: BinaryIO, fields: dict[str, Any], file_key: bytes) -> None:
        raw = json.dumps({"format": FORMAT, **fields}, sort_keys=True).encode()
        out.write(MAGIC + _LEN.pack(len(raw)) + raw)
        self._out = out
        self._aead = AESGCM(file_key)
        self._aad = hashlib.sha256(MAGIC + raw).digest()
        self._zip = zlib.compressobj(6)
        self._buffer = bytearray()
        self._counter = 0

    def line(self, obj: Any) -> None:
        data = json.dumps(obj, separators=(",", ":")).encode() + b"\n"
        self._buffer += self._zip.compress(data)
        while len(self._buffer) > SEGMENT_BYTES:
            self._segment(bytes(self._buffer[:SEGMENT_BYTES]), last=False)
            del self._buffer[:SEGMENT_BYTES]

    def _segment(self, plain: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), plain, self._aad)
        self._out.write(_LEN.pack(len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        self._buffer += self._zip.flush()
        self._segment(bytes(self._buffer), last=True)
        self._buffer.clear()


def read_header(handle: BinaryIO) -> Header:
    """The header; BackupFileError when the file is not a Datavagt backup."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupFileError("not a Datavagt backup file")
    size = handle.read(_LEN.size)
    if len(size) != _LEN.size:
        raise BackupFileError("not a Datavagt backup file")
    (length,) = _LEN.unpack(size)
    if length > MAX_HEADER_BYTES:
        raise BackupFileError("not a Datavagt backup file")
    raw = handle.read(length)
    try:
        fields = json.loads(raw)
        if fields.get("format") != FORMAT:
            raise BackupFileError(f"backup format {fields.get('format')!r} is not supported")
        for name in ("backup_id", "epoch", "revision", "created_at", "wrapped_key"):
            if not isinstance(fields.get(name), str):
                raise BackupFileError("not a Datavagt backup file")
        header = Header(raw=raw, fields=fields)
        header.wrapped_key  # noqa: B018 - base64 checked here, not later
    except (ValueError, AttributeError) as exc:
        raise BackupFileError("not a Datavagt backup file") from exc
    return header


def read_lines(handle: BinaryIO, header: Header, file_key: bytes) -> Iterator[Any]:
    """Decrypt and yield the JSON lines; BackupFileError on any tampering or truncation."""
    aead = AESGCM(file_key)
    aad = hashlib.sha256(MAGIC + header.raw).digest()
    unzip = zlib.decompressobj()
    pending = b""
    counter = 0
    while True:
        size = handle.read(_LEN.size)
        if len(size) != _LEN.size:
            raise BackupFileError("the backup file is truncated")
        (length,) = _LEN.unpack(size)
        sealed = handle.read(length)
        if len(sealed) != length:
            raise BackupFileError("the backup file is truncated")
        plain = None
        last = False
        for flag in (False, True):
            try:
                plain = aead.decrypt(_nonce(counter, flag), sealed, aad)
                last = flag
                break
            except InvalidTag:
                continue
        if plain is None:
            raise BackupFileError("the backup file was altered (authentication failed)")
        counter += 1
        try:
            pending += unzip.decompress(plain)
        except zlib.error as exc:
            raise BackupFileError("the backup file is damaged") from exc
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield json.loads(line)
        if last:
            if handle.read(1):
                raise BackupFileError("the backup file has data after its last segment")
            if pending or not unzip.eof:
                raise BackupFileError("the backup file is damaged")
            return


def new_file_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_backup_id() -> str:
    return "bk-" + secrets.token_hex(8)
