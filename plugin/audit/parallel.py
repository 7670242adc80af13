"""Verification on several CPU cores: worker processes re-hash contiguous seq ranges, the
parent links the ranges, folds the Merkle roots and checks every checkpoint.

Hashing each event's canonical JSON is the cost of verifying; it parallelises by range,
the chain links and the tree do not (they are cheap). On any fault the parent re-runs the
sequential ``verify_chain`` so the message names the first bad item exactly as it does.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.audit.canonical import GENESIS_HASH, event_hash
from plugin.audit.merkle import Frontier, leaf_hash
from plugin.audit.verify import (
    _COLUMNS,
    _NAMES,
    PAGE_SIZE,
    ChainError,
    VerifyResult,
    _checkpoints,
    _Event,
    verify_chain,
)
from plugin.models.audit import AuditEvent
from plugin.signing.jws import KeySource


@dataclass(frozen=True)
class _Range:
    ok: bool
    low: int
    high: int
    first_prev: str | None
    last_hash: str | None
    leaves: bytes  # 32 bytes per event, in seq order


def _check_range(job: tuple[str, int, int]) -> _Range:
    """In a worker: hashes, links and seq continuity of events ``low``..``high``."""
    url, low, high = job
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    leaves = bytearray()
    expected, prev, first_prev = low, None, None
    try:
        with engine.connect() as connection:
            while expected <= high:
                rows = connection.execute(
                    sa.select(*_COLUMNS)
                    .where(AuditEvent.seq >= expected, AuditEvent.seq <= high)
                    .order_by(AuditEvent.seq)
                    .limit(PAGE_SIZE)
                ).all()
                if not rows:
                    return _Range(False, low, high, None, None, b"")
                for values in rows:
                    row = _Event(zip(_NAMES, values, strict=True))
                    if row.seq != expected or (prev is not None and row.prev_hash != prev):
                        return _Range(False, low, high, None, None, b"")
                    if event_hash(row, row.prev_hash) != row.hash:
                        return _Range(False, low, high, None, None, b"")
                    first_prev = row.prev_hash if first_prev is None else first_prev
                    leaves += leaf_hash(bytes.fromhex(row.hash))
                    prev, expected = row.hash, expected + 1
    finally:
        engine.dispose()
    return _Range(True, low, high, first_prev, prev, bytes(leaves))


def verify_parallel(
    session: Session, keys: KeySource, url: str, workers: int, min_per_worker: int = PAGE_SIZE
) -> VerifyResult:
    """``verify_chain`` for a log stored from seq 1, with ``workers`` processes hashing."""
    checkpoints = _checkpoints(session, keys)
    first = session.scalar(sa.select(sa.func.min(AuditEvent.seq)))
    last = session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
    if first != 1 or workers < 2 or last < workers * min_per_worker:
        return verify_chain(session, keys)  # pruned log, or too small to gain anything
    step = -(-last // workers)
    jobs = [(url, low, min(low + step - 1, last)) for low in range(1, last + 1, step)]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        ranges = pool.map(_check_range, jobs)
    frontier, prev = Frontier(), GENESIS_HASH
    for part in ranges:
        if not part.ok or part.first_prev != prev:
            return verify_chain(session, keys)  # names the first fault
        leaves = part.leaves
        for index in range(0, len(leaves), 32):
            leaf = leaves[index : index + 32]
            frontier.append(leaf)
            checkpoint = checkpoints.get(frontier.size)
            if checkpoint is None:
                continue
            # Equal leaves mean equal event hashes: leaf = SHA-256(0x00 || hash).
            signed_leaf = leaf_hash(bytes.fromhex(checkpoint.head_hash))
            root = checkpoint.root_hash
            if leaf != signed_leaf or (root is not None and frontier.root().hex() != root):
                return verify_chain(session, keys)
        prev = part.last_hash or prev
    for seq, checkpoint in checkpoints.items():
        if seq > last and not checkpoint.is_anchor:
            raise ChainError(
                f"checkpoint at seq {seq} (id {checkpoint.id}): the chain ends at seq {last}: "
                "signed events after it were deleted"
            )
    return VerifyResult(
        events=last,
        checkpoints=len(checkpoints),
        first_seq=1,
        last_seq=last,
        awaiting_prune=0,
    )
