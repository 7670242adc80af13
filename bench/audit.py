"""Audit trail benchmark: chained vs plain appends (same run), and verifying N events.

    .venv/bin/python bench/audit.py [--database-url URL] [--appends 2000] [--events 1000000]

SQLite (a temporary file) by default; with a PostgreSQL URL the run uses a temporary schema.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin.app import create_app  # noqa: E402
from plugin.audit import (  # noqa: E402
    actions,
    proofs,  # noqa: E402
    record,
    sequencer,
)
from plugin.audit import verify as verify_module  # noqa: E402
from plugin.audit.canonical import GENESIS_HASH, event_hash  # noqa: E402
from plugin.audit.checkpoints import sign_checkpoint  # noqa: E402
from plugin.audit.merkle import CHUNKS  # noqa: E402
from plugin.audit.offline import verify_document  # noqa: E402
from plugin.audit.parallel import verify_parallel  # noqa: E402
from plugin.audit.scan import Mismatch  # noqa: E402
from plugin.audit.verify import verify_chain  # noqa: E402
from plugin.auth import Actor  # noqa: E402
from plugin.database import scratch_database  # noqa: E402
from plugin.extensions import db  # noqa: E402
from plugin.models import AuditCheckpoint, AuditEvent  # noqa: E402
from plugin.models.types import utcnow  # noqa: E402

PLAIN_INSERT = sa.insert(AuditEvent.__table__)
ACTOR = Actor(id="bench-agent", role="agent", vendor_user="u-1")


def _row(seq: int, prev_hash: str) -> dict:
    content = {
        "seq": seq,
        "occurred_at": utcnow(),
        "actor_id": ACTOR.id,
        "actor_role": ACTOR.role,
        "vendor_user": ACTOR.vendor_user,
        "action": actions.VIEW,
        "subject_id": f"subject-{seq % 1000}",
        "ticket_ref": f"hubspot:{seq}",
        "field": "body",
        "reason": None,
        "request_id": None,
        "source": "api",
        "details": {"n": seq},
    }
    content["prev_hash"] = prev_hash
    content["hash"] = event_hash(content, prev_hash)
    return content


def _run_writers(
    app: Flask,
    writers: int,
    per_writer: int,
    work: Callable[[int, int], int | None],
    committed: dict[int, float],
) -> float:
    """Seconds for ``writers`` threads each doing ``work(writer, n)`` then one commit, n times.

    ``work`` may return a queue id: its commit time goes into ``committed``.
    """
    barrier = threading.Barrier(writers + 1)
    errors: list[BaseException] = []

    def loop(number: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                for index in range(per_writer):
                    queue_id = work(number, index)
                    db.session.commit()
                    if queue_id is not None:
                        committed[queue_id] = time.time()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def bench_appends(app: Flask, writers: int, count: int, rounds: int = 2) -> dict[str, Any]:
    """Events/s with ``writers`` concurrent writers: record() (queued, the sequencer thread
    chaining meanwhile) vs plain inserts of the same rows; and the sequencing delay.

    The two alternate in rounds so that disk and CPU noise hits both alike. The delay runs
    from the writer's commit to the commit of the batch that chained the event.
    """
    per_writer = max(1, count // (writers * rounds))
    batches: list[tuple[float, list[int]]] = []
    committed: dict[int, float] = {}

    def observe(batch: sequencer.Batch) -> None:
        assert batch.sequenced_at is not None
        batches.append((batch.sequenced_at.timestamp(), batch.queue_ids))

    sequencer.on_batch = observe
    queued_time = plain_time = 0.0
    offset = 0

    def queued(number: int, index: int) -> int:
        return record(
            actions.VIEW,
            actor=ACTOR,
            subject_id=f"subject-{index % 1000}",
            field="body",
            details={"n": index},
        )

    for _ in range(rounds):
        queued_time += _run_writers(app, writers, per_writer, queued, committed)
        # Negative seqs keep plain rows below the chain head; hashes are computed up front.
        rows = {
            (w, i): _row(-(offset + w * per_writer + i + 1), GENESIS_HASH)
            for w in range(writers)
            for i in range(per_writer)
        }
        offset += writers * per_writer

        def plain(number: int, index: int, rows: dict = rows) -> None:
            # The same one-row Core INSERT record() runs (no ORM unit of work either side).
            db.session.connection().execute(PLAIN_INSERT, rows[(number, index)])

        plain_time += _run_writers(app, writers, per_writer, plain, committed)
    sequencer.flush(app)  # what the thread had not reached yet (counted in the delays)
    sequencer.on_batch = None
    total = per_writer * writers * rounds
    chained = db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.seq > 0)
    )
    assert chained == total, (chained, total)
    assert verify_events(app) == total
    db.session.execute(sa.delete(AuditCheckpoint))
    db.session.execute(sa.delete(AuditEvent))
    db.session.commit()
    CHUNKS.for_database(proofs._database_key(db.session)).clear()  # of the deleted events
    delays = sorted(max(0.0, done - committed[i]) for done, ids in batches for i in ids)
    return {
        "total": total,
        "queued": total / queued_time,
        "plain": total / plain_time,
        "delay_p50": delays[len(delays) // 2],
        "delay_p99": delays[min(len(delays) - 1, int(len(delays) * 0.99))],
        "delay_max": delays[-1],
        "batches": len(batches),
        "batch_mean": total / max(1, len(batches)),
    }


def verify_events(app: Flask) -> int:
    """Verify only the chain (plain rows have negative seqs: delete them first)."""
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.seq <= 0))
    db.session.commit()
    return verify_chain(db.session, app.extensions["datavagt.keyring"]).events


def bench_verify(count: int, batch: int = 20_000) -> dict[str, float]:
    """Bulk-insert ``count`` chained events, sign tree heads at half and at the end, then
    time verification and proofs (inclusion: first one cold, then warm over random events).
    """
    start = time.perf_counter()
    prev = GENESIS_HASH
    for low in range(1, count + 1, batch):
        rows = []
        for seq in range(low, min(low + batch, count + 1)):
            rows.append(_row(seq, prev))
            prev = rows[-1]["hash"]
        db.session.execute(sa.insert(AuditEvent), rows)
        db.session.commit()
        if low <= count // 2 < low + batch:
            middle = count // 2
            head = db.session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == middle))
            sign_checkpoint(db.session, middle, head)
            db.session.commit()
    generated = time.perf_counter() - start
    CHUNKS.for_database(proofs._database_key(db.session)).clear()  # as a fresh process
    start = time.perf_counter()
    sign_checkpoint(db.session, count, prev)  # computes the root of all events, cold
    db.session.commit()
    signed = time.perf_counter() - start
    CHUNKS.for_database(proofs._database_key(db.session)).clear()
    start = time.perf_counter()
    result = verify_chain(db.session, current_app.extensions["datavagt.keyring"])
    verified = time.perf_counter() - start
    assert result.events == count and result.checkpoints == 2

    # The same run through the exact row-by-row loop (ORM-typed rows, event_hash per event,
    # leaf-by-leaf frontier: the verification before the fast loop): the ratio holds under
    # the machine's load, the seconds do not.
    def doubt(*_args: Any) -> None:
        raise Mismatch

    fast, verify_module._scan = verify_module._scan, doubt
    start = time.perf_counter()
    try:
        assert verify_chain(db.session, current_app.extensions["datavagt.keyring"]).events == count
    finally:
        verify_module._scan = fast
    general = time.perf_counter() - start
    url = current_app.extensions["datavagt.settings"].database_url
    start = time.perf_counter()
    keyring = current_app.extensions["datavagt.keyring"]
    assert verify_parallel(db.session, keyring, url, workers=2).events == count
    parallel = time.perf_counter() - start
    keys = current_app.extensions["datavagt.keyring"].jwks()
    CHUNKS.for_database(proofs._database_key(db.session)).clear()
    start = time.perf_counter()
    first = proofs.inclusion(db.session, 1, count)
    cold = time.perf_counter() - start
    verify_document(first, keys)
    rng = random.Random(6962)
    times = []
    for _ in range(200):
        seq = rng.randint(1, count)
        start = time.perf_counter()
        proof = proofs.inclusion(db.session, seq, count)
        times.append(time.perf_counter() - start)
        verify_document(proof, keys)
    times.sort()
    start = time.perf_counter()
    consistency = proofs.consistency(db.session, count // 2, count)
    consistent = time.perf_counter() - start
    verify_document(consistency, keys)
    return {
        "generated": generated,
        "signed": signed,
        "verified": verified,
        "general": general,
        "parallel": parallel,
        "inclusion_cold": cold,
        "inclusion_p50": times[len(times) // 2],
        "inclusion_p99": times[int(len(times) * 0.99)],
        "consistency": consistent,
    }


def main() -> None:
    """Run both benchmarks and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite temp file)")
    parser.add_argument("--appends", type=int, default=8000)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--skip-appends", action="store_true", help="Only verify and proofs.")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-verify", action="store_true", help="Only appends.")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        scratch_database(args.database_url, Path(folder)) as url,
    ):
        app = create_app(
            {
                "database_url": url,
                "key_file": f"{folder}/keys",
                "scheduler": "off",
                "audit_sequencer": "thread",  # as served: a background pass after commits
            }
        )
        with app.app_context():
            backend = db.engine.dialect.name
            if not args.skip_appends:
                got = bench_appends(app, args.writers, args.appends)
                app.extensions[sequencer.EXTENSION].stop()
                ratio = got["queued"] / got["plain"]
                print(
                    f"[{backend}] appends, {args.writers} concurrent writers, "
                    f"{got['total']} events:"
                )
                print(
                    f"  queued record(): {got['queued']:8.0f} events/s "
                    "(target >= 2000 on PostgreSQL)"
                )
                print(f"  plain inserts:   {got['plain']:8.0f} events/s (baseline, same rows)")
                print(f"  ratio queued/plain: {ratio:.2f} (target >= 0.8)")
                print(
                    f"  sequencing delay: p50 {got['delay_p50'] * 1000:.0f} ms, "
                    f"p99 {got['delay_p99'] * 1000:.0f} ms (target <= 1000), "
                    f"max {got['delay_max'] * 1000:.0f} ms "
                    f"({got['batches']} batches, {got['batch_mean']:.0f} events each on average)"
                )
            if args.skip_verify:
                return
            got = bench_verify(args.events)
            n = args.events
            print(f"[{backend}] verify {n} events (one process):")
            print(f"  bulk generation: {got['generated']:6.1f} s (setup)")
            print(f"  sign a tree head over all, cold: {got['signed']:6.2f} s")
            print(
                f"  verification:    {got['verified']:6.1f} s ({n / got['verified']:.0f} events/s;"
                " target <= 10 s for 1,000,000)"
            )
            print(
                f"  verification, exact row-by-row loop (before the fast loop, same run): "
                f"{got['general']:6.1f} s; fast/exact time {got['verified'] / got['general']:.2f}"
            )
            print(
                f"  inclusion proof: first (cold) {got['inclusion_cold'] * 1000:.0f} ms, then "
                f"p50 {got['inclusion_p50'] * 1000:.2f} ms, "
                f"p99 {got['inclusion_p99'] * 1000:.2f} ms"
                " (target <= 5 ms)"
            )
            print(
                f"  verification, 2 worker processes: {got['parallel']:6.1f} s "
                f"({n / got['parallel']:.0f} events/s)"
            )
            print(f"  consistency proof {n // 2}->{n}: {got['consistency'] * 1000:.1f} ms")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
