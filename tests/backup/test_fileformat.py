"""The encrypted stream: segments reordered, dropped, replayed from another file all fail."""

from __future__ import annotations

import io
import os
import struct

import pytest

from plugin.backup import fileformat
from plugin.backup.fileformat import BackupFileError, Writer, new_file_key, read_header, read_lines

FIELDS = {
    "backup_id": "bk-1",
    "epoch": "mk-1",
    "revision": "r",
    "created_at": "t",
    "wrapped_key": "AAAA",
}


def _file(key: bytes, monkeypatch: pytest.MonkeyPatch, n: int = 200, **extra: str) -> bytes:
    monkeypatch.setattr(fileformat, "SEGMENT_BYTES", 64)  # many small segments
    out = io.BytesIO()
    writer = Writer(out, {**FIELDS, **extra}, key)
    for i in range(n):
        writer.line([0, [i, os.urandom(400).hex()]])  # incompressible: zlib emits as it goes
    writer.close()
    return out.getvalue()


def _split(blob: bytes) -> tuple[bytes, list[bytes]]:
    (length,) = struct.unpack(">I", blob[16:20])
    head, rest = blob[: 20 + length], blob[20 + length :]
    segments = []
    while rest:
        (size,) = struct.unpack(">I", rest[:4])
        segments.append(rest[: 4 + size])
        rest = rest[4 + size :]
    return head, segments


def _read(blob: bytes, key: bytes) -> list:
    handle = io.BytesIO(blob)
    return list(read_lines(handle, read_header(handle), key))


def test_round_trip_over_many_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    key = new_file_key()
    blob = _file(key, monkeypatch)
    assert len(_split(blob)[1]) > 100
    assert [line[1][0] for line in _read(blob, key)] == list(range(200))


@pytest.mark.parametrize("attack", ["swap", "drop_middle", "drop_last", "replay_first"])
def test_segment_attacks_fail(attack: str, monkeypatch: pytest.MonkeyPatch) -> None:
    key = new_file_key()
    head, segments = _split(_file(key, monkeypatch))
    if attack == "swap":
        segments[1], segments[2] = segments[2], segments[1]
    elif attack == "drop_middle":
        del segments[2]
    elif attack == "drop_last":
        del segments[-1]
    else:
        segments.insert(1, segments[0])
    with pytest.raises(BackupFileError):
        _read(head + b"".join(segments), key)


def test_segments_of_another_backup_with_the_same_key_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Segments are bound to their own header (its hash is the associated data)."""
    key = new_file_key()
    head_a, _ = _split(_file(key, monkeypatch, revision="a"))
    _, segments_b = _split(_file(key, monkeypatch, revision="b"))
    with pytest.raises(BackupFileError, match="altered"):
        _read(head_a + b"".join(segments_b), key)


def test_wrong_key_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _file(new_file_key(), monkeypatch)
    with pytest.raises(BackupFileError, match="altered"):
        _read(blob, new_file_key())


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"DATAVAGT-BACKUP\x01",
        b"DATAVAGT-BACKUP\x01\xff\xff\xff\xff",
        b"DATAVAGT-BACKUP\x01" + struct.pack(">I", 4) + b"null",
        b"DATAVAGT-BACKUP\x01" + struct.pack(">I", 13) + b'{"format": 2}',
    ],
)
def test_bad_headers(blob: bytes) -> None:
    with pytest.raises(BackupFileError):
        read_header(io.BytesIO(blob))
