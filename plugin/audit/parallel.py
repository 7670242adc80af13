"""Verification on several CPU cores: worker processes re-hash contiguous seq ranges, the
parent links the ranges, folds the Merkle roots and checks every checkpoint.

Hashing each event's canonical JSON is the cost of verifying; it parallelises by range,
the chain links and the tree do not (they are cheap). On any fault the parent re-runs the
sequential ``verify_chain`` so the message names the first bad item exactly as it does.
"""

from __future__ import annotations

import multiprocessing
from bisect import bisect_right
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.audit import scan
from plugin.audit.canonical import GENESIS_HASH
from plugin.audit.merkle import Frontier, leaf_hash
from plugin.audit.verify import (
    PAGE_SIZE,
    ChainError,
    VerifyResult,
    _checkpoints,
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
    """In a worker: hashes, links and seq continuity of events ``low``..``high``
    (``scan``'s fast loop; the parent re-checks exactly on any doubt)."""
    url, low, high = job
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    leaves: list[bytes] = []
    expected, prev, first_prev = low, None, None
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            for rows in scan.pages(connection, low - 1, high):
                if first_prev is None:
                    first_prev = prev = rows[0][1]
                leaves += scan.check_rows(rows, expected, prev, sqlite)
                expected, prev = rows[-1][0] + 1, rows[-1][2]
    except scan.Mismatch:
        return _Range(False, low, high, None, None, b"")
    finally:
        engine.dispose()
    if expected != high + 1:
        return _Range(False, low, high, None, None, b"")
    return _Range(True, low, high, first_prev, prev, b"".join(leaves))


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
    sizes = sorted(checkpoints)
    for part in ranges:
        if not part.ok or part.first_prev != prev:
            return verify_chain(session, keys)  # names the first fault
        data = part.leaves
        leaves = [data[index : index + 32] for index in range(0, len(data), 32)]
        low = frontier.size
        inside = sizes[bisect_right(sizes, low) : bisect_right(sizes, low + len(leaves))]
        for size in inside:
            # Equal leaves mean equal event hashes: leaf = SHA-256(0x00 || hash).
            if leaves[size - low - 1] != leaf_hash(bytes.fromhex(checkpoints[size].head_hash)):
                return verify_chain(session, keys)
        rooted = [size for size in inside if checkpoints[size].root_hash is not None]
        for size, root in frontier.extend(leaves, rooted).items():
            if root.hex() != checkpoints[size].root_hash:
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
