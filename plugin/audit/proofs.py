"""The audit log as an RFC 9162 tree: roots for signed tree heads, inclusion and consistency
proofs for the API, as self-contained documents an auditor checks offline."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from plugin.audit.canonical import HASHED_FIELDS, format_time
from plugin.audit.merkle import CHUNK, CHUNKS, ProofError, Tree, leaf_hash
from plugin.models.audit import AuditCheckpoint, AuditEvent

INCLUSION_TYPE = "datavagt.audit.inclusion"
CONSISTENCY_TYPE = "datavagt.audit.consistency"
VERSION = 1
Cache = dict[tuple[int, int], bytes]  # (first leaf, leaf count) -> subtree root


def _database_key(bind: Session | Connection) -> str:
    connection = bind if isinstance(bind, Connection) else bind.connection()
    # The URL names the database and (for PostgreSQL test schemas) the search path.
    return connection.engine.url.render_as_string(hide_password=True)


def chunk_cache(bind: Session | Connection) -> Cache:
    """This process's complete-chunk roots of the database ``bind`` is on."""
    return CHUNKS.for_database(_database_key(bind))


def tree(
    bind: Session | Connection, size: int, cache: dict[tuple[int, int], bytes] | None = None
) -> Tree:
    """The first ``size`` events as a tree, leaves read from ``audit_events`` on demand.

    A transaction whose leaves are not committed yet (the sequencer) passes a copy of
    ``chunk_cache`` and merges it back after the commit: roots must not outlive a rollback.
    """

    def fetch(start: int, end: int) -> list[bytes]:
        hashes = bind.execute(
            sa.select(AuditEvent.hash)
            .where(AuditEvent.seq > start, AuditEvent.seq <= end)
            .order_by(AuditEvent.seq)
        ).scalars()
        leaves = [leaf_hash(bytes.fromhex(value)) for value in hashes]
        if len(leaves) != end - start:
            raise ProofError(f"events {start + 1}..{end} are not all in the log (pruned?)")
        return leaves

    return Tree(size, fetch, chunk_cache(bind) if cache is None else cache)


def root_hash(
    bind: Session | Connection, size: int, cache: dict[tuple[int, int], bytes] | None = None
) -> str:
    """Hex MTH of the first ``size`` events."""
    return tree(bind, size, cache).root().hex()


def tree_head(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """A signed tree head as RFC 9162 names it, with the JWS that signs it."""
    return {
        "tree_size": checkpoint.seq,
        "root_hash": checkpoint.root_hash,
        "head_hash": checkpoint.head_hash,
        "signed_at": format_time(checkpoint.signed_at),
        "kid": checkpoint.kid,
        "jws": checkpoint.signature,
    }


def event_content(event: Any) -> dict[str, Any]:
    """Exactly what the event's hash covers (canonical JSON of this minus ``hash``)."""
    body = {name: getattr(event, name) for name in HASHED_FIELDS}
    body["occurred_at"] = format_time(body["occurred_at"])
    body["details"] = dict(body["details"] or {})
    body["prev_hash"] = event.prev_hash
    body["hash"] = event.hash
    return body


class NotProvable(Exception):
    """No proof can be given (unknown event, no signed tree head covering it); say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _head(session: Session, size: int | None, at_least: int) -> AuditCheckpoint:
    query = sa.select(AuditCheckpoint).where(
        AuditCheckpoint.root_hash.is_not(None), AuditCheckpoint.is_anchor.is_(False)
    )
    if size is not None:
        found = session.scalars(query.where(AuditCheckpoint.seq == size)).first()
        if found is None:
            raise NotProvable(404, "no_tree_head", f"No signed tree head of size {size}")
        if size < at_least:
            raise NotProvable(
                422, "validation_failed", f"Tree size {size} does not contain seq {at_least}"
            )
        return found
    found = session.scalars(
        query.where(AuditCheckpoint.seq >= at_least).order_by(AuditCheckpoint.seq).limit(1)
    ).first()
    if found is None:
        raise NotProvable(
            409,
            "not_checkpointed",
            f"Event seq {at_least} is not under a signed tree head yet; the next checkpoint "
            "signs it (or run `datavagt audit checkpoint`)",
        )
    return found


_EVENT_COLUMNS = [getattr(AuditEvent, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")]


def inclusion(session: Session, seq: int, size: int | None = None) -> dict[str, Any]:
    """An inclusion proof of event ``seq`` in the signed tree of ``size`` (default: the
    smallest signed tree containing it).

    Two queries when the tree's complete subtrees are cached (see ``merkle.Tree``): the
    signed head, and the rows of the event's chunk -- its content and the leaves below
    the lowest cached subtree on its path.
    """
    try:
        head = _head(session, size, seq)
    except NotProvable:
        if session.scalar(sa.select(AuditEvent.id).where(AuditEvent.seq == seq)) is None:
            raise NotProvable(404, "not_found", f"No audit event with seq {seq}") from None
        raise
    low = (seq - 1) // CHUNK * CHUNK  # the chunk's first leaf index
    high = min(low + CHUNK, head.seq)
    rows = session.execute(
        sa.select(*_EVENT_COLUMNS)
        .where(AuditEvent.seq > low, AuditEvent.seq <= high)
        .order_by(AuditEvent.seq)
    ).all()
    event = next((row for row in rows if row.seq == seq), None)
    if event is None:
        raise NotProvable(404, "not_found", f"No audit event with seq {seq}")
    proof_tree = tree(session, head.seq)
    if len(rows) == high - low:
        proof_tree.preload(low // CHUNK, [leaf_hash(bytes.fromhex(row.hash)) for row in rows])
    try:
        path = proof_tree.inclusion_path(seq - 1)
    except ProofError as exc:
        raise NotProvable(409, "not_provable", str(exc)) from exc
    return {
        "type": INCLUSION_TYPE,
        "version": VERSION,
        "leaf_index": seq - 1,
        "tree_size": head.seq,
        "inclusion_path": [node.hex() for node in path],
        "event": event_content(event),
        "tree_head": tree_head(head),
    }


def consistency(session: Session, first: int, second: int) -> dict[str, Any]:
    """A consistency proof between the signed trees of sizes ``first`` <= ``second``."""
    if first > second:
        raise NotProvable(422, "validation_failed", "first must not be larger than second")
    old, new = _head(session, first, 0), _head(session, second, 0)
    try:
        path = tree(session, second).consistency_path(first)
    except ProofError as exc:
        raise NotProvable(409, "not_provable", str(exc)) from exc
    return {
        "type": CONSISTENCY_TYPE,
        "version": VERSION,
        "first": first,
        "second": second,
        "consistency_path": [node.hex() for node in path],
        "first_tree_head": tree_head(old),
        "second_tree_head": tree_head(new),
    }
