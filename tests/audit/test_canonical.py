"""The fast canonical encoding (verify's hot loop) gives exactly the general encoder's bytes."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugin.audit import canonical, scan
from plugin.audit.canonical import GENESIS_HASH, HASHED_FIELDS, event_hash

TEXT = st.one_of(st.none(), st.text(max_size=40))  # any code point: quotes, controls, emoji
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


def _general(content: dict, prev_hash: str) -> str:
    body = {name: content.get(name) for name in HASHED_FIELDS}
    body["occurred_at"] = canonical.format_time(body["occurred_at"])
    body["details"] = dict(body["details"] or {})
    body["prev_hash"] = prev_hash
    return hashlib.sha256(canonical.canonical_json(body)).hexdigest()


@settings(max_examples=300, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {name: TEXT for name in HASHED_FIELDS if name not in ("seq", "occurred_at", "details")}
    ),
    seq=st.integers(min_value=1, max_value=2**62),
    moment=st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)),
    details=st.one_of(st.none(), st.dictionaries(st.text(max_size=8), JSONISH, max_size=4)),
    prev=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_fast_path_equals_general_encoder(
    fields: dict, seq: int, moment: datetime, details: dict | None, prev: str
) -> None:
    content = {**fields, "seq": seq, "occurred_at": moment, "details": details}
    assert canonical._fast_body(content, prev) is not None  # these shapes take the fast path
    assert event_hash(content, prev) == _general(content, prev)


def test_other_shapes_take_the_general_path() -> None:
    base = {name: None for name in HASHED_FIELDS}
    base.update(seq=1, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), actor_id="a", source="api")
    odd = [
        {"occurred_at": datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))},
        {"occurred_at": datetime(2026, 1, 1)},  # naive: taken as UTC
        {"seq": True},
        {"details": [1]},
        {"actor_id": 7},
    ]
    for change in odd:
        content = {**base, **change}
        assert canonical._fast_body(content, GENESIS_HASH) is None
        if not isinstance(content["details"], list):
            assert event_hash(content, GENESIS_HASH) == _general(content, GENESIS_HASH)
    # A +01:00 moment and the same instant in UTC hash alike, on either path.
    local = {**base, "occurred_at": datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))}
    assert event_hash(local, GENESIS_HASH) == event_hash(base, GENESIS_HASH)


@settings(max_examples=300, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {name: TEXT for name in HASHED_FIELDS if name not in ("seq", "occurred_at", "details")}
    ),
    seq=st.integers(min_value=1, max_value=2**62),
    moment=st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)),
    details=st.one_of(st.none(), st.dictionaries(st.text(max_size=8), JSONISH, max_size=4)),
    prev=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_scan_loop_hashes_stored_rows_like_event_hash(
    fields: dict, seq: int, moment: datetime, details: dict | None, prev: str
) -> None:
    """verify's scan loop, fed a row as SQLite stores it (SQLAlchemy's time text, json.dumps
    details), accepts exactly the hash event_hash gives; one changed field it refuses."""
    content = {**fields, "seq": seq, "occurred_at": moment, "details": details}
    stored = event_hash(content, prev)
    stamp = moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    as_stored = {**content, "occurred_at": stamp, "prev_hash": prev, "hash": stored}
    as_stored["details"] = None if details is None else json.dumps(details)
    names = ("seq", "prev_hash", "hash", *scan.TEXT_COLUMNS)
    row = tuple(as_stored[name] for name in names)
    if None in (content["action"], content["actor_id"], content["source"]):
        with pytest.raises(scan.Mismatch):  # NOT NULL columns: the exact path decides
            scan.check_rows([row], seq, prev, sqlite=True)
        return
    leaf = scan.check_rows([row], seq, prev, sqlite=True)
    assert leaf == [hashlib.sha256(b"\x00" + bytes.fromhex(stored)).digest()]
    edited = list(row)
    edited[3] = (row[3] or "") + "x"
    with pytest.raises(scan.Mismatch):
        scan.check_rows([tuple(edited)], seq, prev, sqlite=True)
