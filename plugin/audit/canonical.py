"""Canonical encoding of audit events: the exact bytes the hash chain is computed over."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
# The fields an event's hash covers, besides ``prev_hash``; order is irrelevant (keys sorted).
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_role",
    "vendor_user",
    "action",
    "subject_id",
    "ticket_ref",
    "field",
    "reason",
    "request_id",
    "source",
    "details",
)


# One encoder for every call (json.dumps with options builds a new one each time).
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """Sorted-key, compact, UTF-8 JSON (RFC 8785-like for the types we store)."""
    return _ENCODER.encode(value).encode("utf-8")


def format_time(moment: datetime) -> str:
    """A timestamp as fixed-width UTC text with microseconds, so it encodes one way only."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_encode_text = json.encoder.encode_basestring  # ensure_ascii=False, as _ENCODER (C speed)
_encode_details = _ENCODER.encode
_UTC_OFFSET = datetime(2000, 1, 1, tzinfo=UTC).utcoffset()


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError  # not the common shape: the general path encodes it
    return _encode_text(value)


def _fast_body(content: Mapping[str, Any], prev_hash: str) -> str | None:
    """The canonical JSON text ``event_hash`` hashes, written out with the keys in sorted
    order (verification re-hashes every event: this is its hot loop); None for any value
    outside the common shapes (text or None, an int seq, a UTC datetime, a dict of
    details), which take the general path. tests/audit/test_canonical.py checks that both
    give the same bytes.
    """
    get = content.get
    seq = get("seq")
    moment = get("occurred_at")
    details = get("details")
    if type(seq) is not int or type(moment) is not datetime or moment.year < 1000:
        return None
    if moment.tzinfo is not UTC and moment.utcoffset() != _UTC_OFFSET:
        return None
    if details is None:
        details = {}
    elif type(details) is not dict:
        return None
    stamp = moment.replace(tzinfo=None).isoformat(timespec="microseconds")
    try:
        return (
            f'{{"action":{_text(get("action"))},"actor_id":{_text(get("actor_id"))},'
            f'"actor_role":{_text(get("actor_role"))},"details":{_encode_details(details)},'
            f'"field":{_text(get("field"))},"occurred_at":"{stamp}Z",'
            f'"prev_hash":{_text(prev_hash)},"reason":{_text(get("reason"))},'
            f'"request_id":{_text(get("request_id"))},"seq":{seq},'
            f'"source":{_text(get("source"))},"subject_id":{_text(get("subject_id"))},'
            f'"ticket_ref":{_text(get("ticket_ref"))},"vendor_user":{_text(get("vendor_user"))}}}'
        )
    except TypeError:
        return None


def event_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical encoding of an event's content and the previous hash."""
    fast = _fast_body(content, prev_hash)
    if fast is not None:
        return hashlib.sha256(fast.encode("utf-8")).hexdigest()
    body: dict[str, Any] = {name: content.get(name) for name in HASHED_FIELDS}
    if isinstance(body["occurred_at"], datetime):
        body["occurred_at"] = format_time(body["occurred_at"])
    body["details"] = dict(body["details"] or {})
    body["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(body)).hexdigest()


def row_content(row: Any) -> dict[str, Any]:
    """The hashed fields of an event row or object (anything with those attributes)."""
    return {name: getattr(row, name) for name in HASHED_FIELDS}
