"""The erasure journal: written at every shred, no personal data, chained, durable."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.keys.journal import JournalError, append, journal_path, read, record_erasure
from plugin.subjects.identity import find_or_create_subject
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact


def _path(app: Flask) -> Path:
    return journal_path(app.extensions["datavagt.settings"].key_file)


def test_every_shred_is_journalled_with_tombstones_only(app: Flask) -> None:
    subject = find_or_create_subject(
        "freshdesk",
        VendorContact(external_id="77", email="jens@example.com", phone="+4512345678"),
    )
    get_vault().encrypt(subject.id, "010190-1234", field="description", kind="cpr")
    db.session.commit()
    assert not _path(app).exists()
    get_vault().shred(subject.id)  # both erasure paths (request, vendor-side) go through here
    db.session.commit()
    raw = _path(app).read_bytes()
    for clear in (b"jens", b"example.com", b"12345678", b"010190", b'77"'):
        assert clear not in raw
    [entry] = read(_path(app))
    assert entry.subject_id == subject.id
    kinds = sorted(kind for kind, _, _ in entry.tombstones)
    assert kinds == ["email", "phone", "vendor_contact"]
    assert all(len(index) == 64 for _, _, index in entry.tombstones)
    assert _path(app).stat().st_mode & 0o077 == 0


def test_record_erasure_for_callers(app: Flask) -> None:
    record_erasure("s-1", [("email", "", "ab" * 32)])
    [entry] = read(_path(app))
    assert entry.subject_id == "s-1" and entry.tombstones == (("email", "", "ab" * 32),)


def test_edited_or_garbled_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    for n in range(3):
        append(path, f"s-{n}", [])
    assert [e.subject_id for e in read(path)] == ["s-0", "s-1", "s-2"]
    lines = path.read_bytes().splitlines(keepends=True)
    edited = json.loads(lines[1])
    edited["subject_id"] = "someone-else"
    path.write_bytes(lines[0] + json.dumps(edited).encode() + b"\n" + lines[2])
    with pytest.raises(JournalError, match="line 3 breaks the chain"):
        read(path)
    path.write_bytes(lines[0] + b"{not json\n")
    with pytest.raises(JournalError, match="line 2 is malformed"):
        read(path)


def test_concurrent_appends_keep_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"

    def work(n: int) -> None:
        for i in range(25):
            append(path, f"s-{n}-{i}", [("email", "", f"{n:02d}" * 32)])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(read(path)) == 100
