"""Recompute the chain and check every checkpoint, streaming events in seq order."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.audit import scan
from plugin.audit.canonical import GENESIS_HASH, HASHED_FIELDS, event_hash
from plugin.audit.checkpoints import verify_checkpoint
from plugin.audit.merkle import Frontier, leaf_hash
from plugin.audit.scan import Mismatch
from plugin.keys import Keyring
from plugin.models.audit import AuditCheckpoint, AuditEvent, AuditVerified
from plugin.signing.jws import KeySource, SignatureError, sign_payload, verify_compact

PAGE_SIZE = scan.PAGE  # rows per query; a power of two keeps Merkle blocks aligned
VERIFIED_TYP = "datavagt-audit-verified"
_NAMES = (*HASHED_FIELDS, "id", "prev_hash", "hash")
_COLUMNS = [getattr(AuditEvent, name) for name in _NAMES]


class _Event(dict):
    """An event row as a dict that also reads as attributes (row.seq, row.hash)."""

    __getattr__ = dict.__getitem__


class ChainError(Exception):
    """The chain or a checkpoint is broken; the message names the first bad item."""


@dataclass(frozen=True)
class VerifyResult:
    """What a successful verification covered."""

    events: int
    checkpoints: int
    first_seq: int | None
    last_seq: int | None
    awaiting_prune: int
    resumed_from: int | None = None


def _checkpoints(session: Session, keys: KeySource) -> dict[int, AuditCheckpoint]:
    found: dict[int, AuditCheckpoint] = {}
    for checkpoint in session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.seq)):
        try:
            verify_checkpoint(keys, checkpoint)
        except (SignatureError, ValueError) as exc:
            raise ChainError(
                f"checkpoint at seq {checkpoint.seq} (id {checkpoint.id}): {exc}"
            ) from exc
        found[checkpoint.seq] = checkpoint
    return found


def _start(
    session: Session, checkpoints: dict[int, AuditCheckpoint], first: int
) -> tuple[int, str]:
    """Where the stored chain must start: the genesis, or the newest signed anchor."""
    anchors = [seq for seq, cp in checkpoints.items() if cp.is_anchor]
    newest_anchor = max(anchors, default=0)
    if newest_anchor and newest_anchor >= first - 1:
        return newest_anchor, checkpoints[newest_anchor].head_hash
    if first == 1:
        return 0, GENESIS_HASH
    event_id = session.scalar(sa.select(AuditEvent.id).where(AuditEvent.seq == first))
    raise ChainError(
        f"event seq {first} (id {event_id}): the chain starts after seq 1 with no signed "
        "anchor before it: earlier events were deleted"
    )


def verify_chain(
    session: Session,
    keys: KeySource,
    page_size: int = PAGE_SIZE,
    *,
    incremental: bool = False,
    remember: bool = False,
) -> VerifyResult:
    """Check hashes, links, seq continuity, checkpoints and Merkle roots; raise ChainError at
    the first fault.

    ``incremental``: start from where the last remembered run ended (a signed checkpoint),
    after checking that record's signature and that the event there is unchanged; events
    before it are not read again (a full run still does). ``remember``: record where this
    run ended (signed with the log's key; the caller commits).
    """
    checkpoints = _checkpoints(session, keys)
    first = session.scalar(sa.select(sa.func.min(AuditEvent.seq)))
    last_seq, prev_hash, count = 0, GENESIS_HASH, 0
    skipped = 0
    if first is not None:
        last_seq, prev_hash = _start(session, checkpoints, first)
        skipped = session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.seq <= last_seq)
        )
    # Merkle roots are recomputed from the leaves when the stored log starts at seq 1.
    frontier = Frontier() if last_seq == 0 else None
    resumed = _resume(session, keys, checkpoints) if incremental and first is not None else None
    if resumed is not None and resumed[0] > last_seq:
        last_seq, prev_hash, frontier = resumed
    else:
        resumed = None
    start_seq = last_seq
    try:
        last_seq, prev_hash, count, reached = _scan(
            session,
            page_size,
            last_seq,
            prev_hash,
            Frontier.resume(frontier.state()) if frontier else None,
            checkpoints,
        )
    except Mismatch:
        # Something is off (or written in a shape the fast loop does not spell): the exact
        # row-by-row check names the first bad item, or finds nothing wrong after all.
        last_seq, prev_hash, count, reached = _exact(
            session, page_size, last_seq, prev_hash, frontier, checkpoints
        )
    for seq, checkpoint in checkpoints.items():
        if seq > last_seq and not checkpoint.is_anchor:
            raise ChainError(
                f"checkpoint at seq {seq} (id {checkpoint.id}): the chain ends at seq {last_seq}: "
                "signed events after it were deleted"
            )
    if remember and reached is not None and isinstance(keys, Keyring):
        state = {"seq": reached[0], "head_hash": reached[1], "frontier": reached[2]}
        session.add(AuditVerified(**state, signature=sign_payload(keys, state, VERIFIED_TYP)))
        session.flush()
    return VerifyResult(
        events=count,
        checkpoints=len(checkpoints),
        first_seq=start_seq + 1 if count else None,
        last_seq=last_seq if count else None,
        awaiting_prune=skipped,
        resumed_from=resumed[0] if resumed else None,
    )


def _exact(
    session: Session,
    page_size: int,
    last_seq: int,
    prev_hash: str,
    frontier: Frontier | None,
    checkpoints: dict[int, AuditCheckpoint],
) -> tuple[int, str, int, tuple[int, str, list] | None]:
    """Every event through the general encoder, in ORM-typed pages; ChainError at the first
    fault. (last seq, last hash, events read, the newest signed head passed)."""
    count = 0
    reached: tuple[int, str, list] | None = None  # the newest signed tree head passed
    while True:
        # Core rows (no ORM loading) turned into plain dicts once: the hot loop of verify.
        rows = [
            _Event(zip(_NAMES, row, strict=True))
            for row in session.connection()
            .execute(
                sa.select(*_COLUMNS)
                .where(AuditEvent.seq > last_seq)
                .order_by(AuditEvent.seq)
                .limit(page_size)
            )
            .fetchall()  # one driver call per page, not one per row
        ]
        if not rows:
            break
        for row in rows:
            _check_event(row, last_seq + 1, prev_hash, checkpoints)
            last_seq, prev_hash = row.seq, row.hash
            count += 1
            if frontier is not None:
                frontier.append(leaf_hash(bytes.fromhex(row.hash)))
                checkpoint = checkpoints.get(row.seq)
                if checkpoint is not None and checkpoint.root_hash is not None:
                    _check_root(checkpoint, frontier.root().hex())
                    if not checkpoint.is_anchor:
                        reached = (row.seq, row.hash, frontier.state())
    return last_seq, prev_hash, count, reached


def _scan(
    session: Session,
    page_size: int,
    last_seq: int,
    prev_hash: str,
    frontier: Frontier | None,
    checkpoints: dict[int, AuditCheckpoint],
) -> tuple[int, str, int, tuple[int, str, list] | None]:
    """What ``_exact`` checks, through the fast loop of ``scan``; Mismatch at any doubt."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    sizes = sorted(checkpoints)
    count, reached = 0, None
    for rows in scan.pages(connection, last_seq, None, page_size):
        leaves = scan.check_rows(rows, last_seq + 1, prev_hash, sqlite)
        low = last_seq
        last_seq, prev_hash = rows[-1][0], rows[-1][2]
        count += len(rows)
        inside = sizes[bisect_right(sizes, low) : bisect_right(sizes, last_seq)]
        for size in inside:
            if rows[size - low - 1][2] != checkpoints[size].head_hash:
                raise Mismatch
        if frontier is None:
            continue
        rooted = [size for size in inside if checkpoints[size].root_hash is not None]
        heads = [size for size in rooted if not checkpoints[size].is_anchor]
        cut = heads[-1] - low if heads else 0  # remember the state at the newest head
        roots = frontier.extend(leaves[:cut], rooted)
        if heads:
            reached = (heads[-1], checkpoints[heads[-1]].head_hash, frontier.state())
        roots.update(frontier.extend(leaves[cut:], rooted))
        for size, root in roots.items():
            if root.hex() != checkpoints[size].root_hash:
                raise Mismatch
    return last_seq, prev_hash, count, reached


def _resume(
    session: Session, keys: KeySource, checkpoints: dict[int, AuditCheckpoint]
) -> tuple[int, str, Frontier] | None:
    """(seq, hash, frontier) where the last remembered run ended, once it is checked."""
    record = session.scalars(
        sa.select(AuditVerified).order_by(AuditVerified.seq.desc(), AuditVerified.id.desc())
    ).first()
    if record is None:
        return None
    where = f"the last verification record (seq {record.seq}, id {record.id})"
    try:
        payload = verify_compact(keys, record.signature, typ=VERIFIED_TYP)
    except SignatureError as exc:
        raise ChainError(f"{where}: {exc}") from exc
    if payload != {"seq": record.seq, "head_hash": record.head_hash, "frontier": record.frontier}:
        raise ChainError(f"{where}: differs from what was signed")
    checkpoint = checkpoints.get(record.seq)
    if checkpoint is None or checkpoint.head_hash != record.head_hash:
        raise ChainError(f"{where}: the signed checkpoint it ended at is gone or differs")
    try:
        frontier = Frontier.resume(record.frontier)
    except (ValueError, TypeError) as exc:
        raise ChainError(f"{where}: {exc}") from exc
    if frontier.size != record.seq or frontier.root().hex() != checkpoint.root_hash:
        raise ChainError(f"{where}: its Merkle state does not match the signed root")
    stored = session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == record.seq))
    if stored != record.head_hash:
        raise ChainError(
            f"event seq {record.seq}: changed or removed since it was verified (run a full verify)"
        )
    return record.seq, record.head_hash, frontier


def _check_root(checkpoint: AuditCheckpoint, computed: str) -> None:
    if computed != checkpoint.root_hash:
        raise ChainError(
            f"checkpoint at seq {checkpoint.seq} (id {checkpoint.id}): the signed Merkle root "
            "differs from the events' tree: an event up to it was changed, inserted, removed "
            "or reordered"
        )


def _check_event(
    row: _Event, expected: int, prev_hash: str, checkpoints: dict[int, AuditCheckpoint]
) -> None:
    where = f"event seq {row.seq} (id {row.id})"
    if row.seq != expected:
        raise ChainError(f"{where}: expected seq {expected}: events before it are missing")
    if row.prev_hash != prev_hash:
        raise ChainError(
            f"{where}: prev_hash does not match event seq {expected - 1}: an event before it "
            "was inserted, removed, reordered or rewritten"
        )
    if event_hash(row, row.prev_hash) != row.hash:
        raise ChainError(f"{where}: hash does not match its content: the event was edited")
    checkpoint = checkpoints.get(row.seq)
    if checkpoint is not None and checkpoint.head_hash != row.hash:
        raise ChainError(
            f"{where}: differs from the signed checkpoint at seq {row.seq}: the chain was rewritten"
        )
