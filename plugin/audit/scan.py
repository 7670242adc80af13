"""The hot loop of verification: stored rows re-hashed straight from the driver's tuples.

``verify_chain`` and the parallel workers read events through here: raw DBAPI rows (no ORM,
no type processing), the timestamp formatted by the database in the canonical form, the
details as the stored JSON text (decoded by the C scanner and re-encoded canonically), and
the canonical body written out with the keys in sorted order. It answers only "all good"
or "something is off somewhere": any mismatch -- including an encoding this loop writes
differently from ``event_hash`` -- makes the caller re-check with the exact, general path,
which names the first bad item (or finds that nothing was wrong). So a fast-path quirk can
cost time, never a missed or a false fault: the bytes hashed here only equal the stored
preimage when the row's content is the content that was hashed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection

PAGE = 16384  # rows per query (a power of two keeps Merkle blocks aligned)

# After seq, prev_hash, hash: the hashed columns in the order check_rows unpacks them.
TEXT_COLUMNS = (
    "action",
    "actor_id",
    "actor_role",
    "details",
    "field",
    "occurred_at",
    "reason",
    "request_id",
    "source",
    "subject_id",
    "ticket_ref",
    "vendor_user",
)
_COLUMNS = (
    "seq, prev_hash, hash, action, actor_id, actor_role, {details}, field, {stamp}, reason, "
    "request_id, source, subject_id, ticket_ref, vendor_user"
)
# PostgreSQL formats the UTC time exactly as canonical.format_time does.
_PG = _COLUMNS.format(
    details="details::text",
    stamp="to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
)
# SQLite keeps SQLAlchemy's text form, 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC, see UTCDateTime).
_SQLITE = _COLUMNS.format(details="details", stamp="occurred_at")

_text = json.encoder.encode_basestring  # as canonical._ENCODER (ensure_ascii=False)
_scan = json.scanner.make_scanner(json.JSONDecoder())
_details = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode
_sha256 = hashlib.sha256
_fromhex = bytes.fromhex


class Mismatch(Exception):
    """Something in the scanned range does not check out; re-check with the exact path."""


def pages(
    connection: Connection, after: int, until: int | None, page: int = PAGE
) -> Iterator[list[tuple]]:
    """Rows with ``after < seq <= until`` (default: the newest) in seq order, as plain
    tuples, one seq range of ``page`` at a time (a range scan: PostgreSQL plans ``seq > x ORDER
    BY seq LIMIT n`` pages about twice as slow). A gap shows as a page that does not start
    where the previous one ended, which ``check_rows`` reports."""
    postgres = connection.dialect.name == "postgresql"
    columns = _PG if postgres else _SQLITE
    mark = "%s" if postgres else "?"
    # Only constants of this module go into the text; the bounds are parameters.
    sql = f"SELECT {columns} FROM audit_events WHERE seq > {mark} AND seq <= {mark} ORDER BY seq"  # noqa: S608
    raw = connection.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        if until is None:
            cursor.execute("SELECT max(seq) FROM audit_events")
            until = cursor.fetchone()[0]
            if until is None:
                return
        while after < until:
            cursor.execute(sql, (after, min(after + page, until)))
            rows = cursor.fetchall()
            if not rows:
                raise Mismatch
            yield rows
            after = min(after + page, until)
    finally:
        cursor.close()


def _canonical_details(value: Any) -> str:
    if value is None or value == "{}":
        return "{}"
    if type(value) is str:
        try:
            parsed, end = _scan(value, 0)
        except StopIteration:
            raise Mismatch from None
        if end != len(value):
            parsed = json.loads(value)
    else:
        parsed = value
    if type(parsed) is not dict:
        raise Mismatch
    return _details(parsed)


def check_rows(rows: list[tuple], expected: int, prev: str, sqlite: bool) -> list[bytes]:
    """RFC 9162 leaf hashes of ``rows``, which must continue the chain at seq ``expected``
    after hash ``prev``; Mismatch at anything that does not check out."""
    leaves: list[bytes] = []
    add = leaves.append
    t = _text
    for (
        seq,
        prev_hash,
        stored,
        action,
        actor_id,
        actor_role,
        details,
        field,
        stamp,
        reason,
        request_id,
        source,
        subject_id,
        ticket_ref,
        vendor_user,
    ) in rows:
        if seq != expected or prev_hash != prev or type(stamp) is not str:
            raise Mismatch
        if sqlite:
            stamp = f"{stamp[:10]}T{stamp[11:]}Z"
        try:
            body = (
                f'{{"action":{t(action)},"actor_id":{t(actor_id)},'
                f'"actor_role":{"null" if actor_role is None else t(actor_role)},'
                f'"details":{_canonical_details(details)},'
                f'"field":{"null" if field is None else t(field)},"occurred_at":"{stamp}",'
                f'"prev_hash":{t(prev_hash)},'
                f'"reason":{"null" if reason is None else t(reason)},'
                f'"request_id":{"null" if request_id is None else t(request_id)},"seq":{seq},'
                f'"source":{t(source)},'
                f'"subject_id":{"null" if subject_id is None else t(subject_id)},'
                f'"ticket_ref":{"null" if ticket_ref is None else t(ticket_ref)},'
                f'"vendor_user":{"null" if vendor_user is None else t(vendor_user)}}}'
            )
        except (TypeError, ValueError):
            raise Mismatch from None
        if _sha256(body.encode("utf-8")).hexdigest() != stored:
            raise Mismatch
        add(_sha256(b"\x00" + _fromhex(stored)).digest())
        prev = stored
        expected += 1
    return leaves
