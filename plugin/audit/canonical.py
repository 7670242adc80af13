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


def event_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical encoding of an event's content and the previous hash."""
    body: dict[str, Any] = {name: content.get(name) for name in HASHED_FIELDS}
    if isinstance(body["occurred_at"], datetime):
        body["occurred_at"] = format_time(body["occurred_at"])
    body["details"] = dict(body["details"] or {})
    body["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(body)).hexdigest()


def row_content(row: Any) -> dict[str, Any]:
    """The hashed fields of an event row or object (anything with those attributes)."""
    return {name: getattr(row, name) for name in HASHED_FIELDS}
