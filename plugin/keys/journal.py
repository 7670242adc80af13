"""The erasure journal: a file kept with the keys, so a restored backup cannot resurrect anyone.

One JSON line per erasure, appended and fsync'd before the erasure commits. It holds no
personal data: the subject id, the erasure time and the identifiers' blind indexes (keyed
HMACs, useless without the key file) as tombstones. Each line carries the SHA-256 of the
line before it, so an edited or removed line in the middle is detected; the file lives
outside the database, so a database backup never carries (or rolls back) the journal.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

JOURNAL_NAME = "datavagt-erasures.jsonl"
GENESIS = "0" * 64


class JournalError(Exception):
    """The journal is unreadable or was altered."""


@dataclass(frozen=True)
class Erasure:
    """One journal line."""

    subject_id: str
    erased_at: datetime
    tombstones: tuple[tuple[str, str, str], ...]  # (kind, vendor, blind_index)


def journal_path(key_file: Path) -> Path:
    """The journal beside the key file."""
    return Path(key_file).resolve().parent / JOURNAL_NAME


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _last_hash(path: Path) -> str:
    if not path.exists() or path.stat().st_size == 0:
        return GENESIS
    with path.open("rb") as handle:
        lines = handle.read().splitlines()
    return _line_hash(lines[-1]) if lines else GENESIS


def append(
    path: Path,
    subject_id: str,
    tombstones: Iterable[tuple[str, str, str]],
    erased_at: datetime | None = None,
) -> None:
    """Append one erasure durably (locked, fsync'd file and folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        entry = {
            "v": 1,
            "subject_id": subject_id,
            "erased_at": (erased_at or datetime.now(UTC)).astimezone(UTC).isoformat(),
            "tombstones": sorted({(k, v, b) for k, v, b in tombstones}),
            "prev": _last_hash(path),
        }
        line = json.dumps(entry, separators=(",", ":"), sort_keys=True).encode() + b"\n"
        os.write(fd, line)
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    if created:
        # The new directory entry must survive a crash too.
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read(path: Path) -> list[Erasure]:
    """Every erasure, oldest first; JournalError when a line is malformed or the chain breaks."""
    if not path.exists():
        return []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JournalError(f"cannot read the erasure journal {path}") from exc
    out: list[Erasure] = []
    prev = GENESIS
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            entry = json.loads(line)
            if entry["prev"] != prev:
                raise JournalError(f"erasure journal {path}: line {number} breaks the chain")
            out.append(
                Erasure(
                    subject_id=str(entry["subject_id"]),
                    erased_at=datetime.fromisoformat(entry["erased_at"]),
                    tombstones=tuple((str(k), str(v), str(b)) for k, v, b in entry["tombstones"]),
                )
            )
        except JournalError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise JournalError(f"erasure journal {path}: line {number} is malformed") from exc
        prev = _line_hash(line)
    return out


def head(path: Path) -> tuple[int, str]:
    """(number of lines, hash of the last line) — a backup records this to spot an old copy."""
    if not path.exists():
        return 0, GENESIS
    lines = path.read_bytes().splitlines()
    return len(lines), (_line_hash(lines[-1]) if lines else GENESIS)


def hash_of_line(path: Path, number: int) -> str | None:
    """The hash of line ``number`` (1-based), None when the journal is shorter."""
    if number == 0:
        return GENESIS
    if not path.exists():
        return None
    lines = path.read_bytes().splitlines()
    return _line_hash(lines[number - 1]) if len(lines) >= number else None


def record_erasure(subject_id: str, blind_indexes: Iterable[tuple[str, str, str]]) -> None:
    """Journal an erasure of the current app (call before the erasure commits).

    ``blind_indexes``: (kind, vendor, blind_index) of the subject's identifiers, read
    before they are deleted.
    """
    settings = current_app.extensions["datavagt.settings"]
    append(journal_path(settings.key_file), subject_id, blind_indexes)
