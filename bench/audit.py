"""Audit trail benchmark: chained vs plain appends (same run), and verifying N events.

    .venv/bin/python bench/audit.py [--database-url URL] [--appends 2000] [--events 1000000]

SQLite (a temporary file) by default; with a PostgreSQL URL the run uses a temporary schema.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin.app import create_app  # noqa: E402
from plugin.audit import actions, record  # noqa: E402
from plugin.audit.canonical import GENESIS_HASH, event_hash  # noqa: E402
from plugin.audit.verify import verify_chain  # noqa: E402
from plugin.auth import Actor  # noqa: E402
from plugin.database import scratch_database  # noqa: E402
from plugin.extensions import db  # noqa: E402
from plugin.models import AuditCheckpoint, AuditEvent  # noqa: E402
from plugin.models.types import utcnow  # noqa: E402

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


def bench_appends(count: int, rounds: int = 4) -> tuple[float, float]:
    """Events per second: record() with chaining vs plain ORM inserts, one commit each.

    The two alternate in rounds so that disk and CPU noise hits both alike.
    """
    chained_time = plain_time = 0.0
    per_round = max(1, count // rounds)
    plain_seq = 0
    for _ in range(rounds):
        start = time.perf_counter()
        for index in range(per_round):
            record(actions.VIEW, actor=ACTOR, subject_id=f"subject-{index % 1000}", field="body")
            db.session.commit()
        chained_time += time.perf_counter() - start
        # Negative seqs keep plain rows below the chain head; hashes are computed up front.
        rows = [_row(-(plain_seq + n + 1), "0" * 64) for n in range(per_round)]
        plain_seq += per_round
        start = time.perf_counter()
        for row in rows:
            db.session.add(AuditEvent(**row))
            db.session.commit()
        plain_time += time.perf_counter() - start
    db.session.execute(sa.delete(AuditCheckpoint))
    db.session.execute(sa.delete(AuditEvent))
    db.session.commit()
    total = per_round * rounds
    return total / chained_time, total / plain_time


def bench_verify(count: int, batch: int = 20_000) -> tuple[float, float]:
    """Seconds to bulk-insert ``count`` chained events, then seconds to verify them."""
    start = time.perf_counter()
    prev = GENESIS_HASH
    for low in range(1, count + 1, batch):
        rows = []
        for seq in range(low, min(low + batch, count + 1)):
            rows.append(_row(seq, prev))
            prev = rows[-1]["hash"]
        db.session.execute(sa.insert(AuditEvent), rows)
        db.session.commit()
    generated = time.perf_counter() - start
    start = time.perf_counter()
    result = verify_chain(db.session, current_app.extensions["datavagt.keyring"])
    assert result.events == count
    return generated, time.perf_counter() - start


def main() -> None:
    """Run both benchmarks and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite temp file)")
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        scratch_database(args.database_url, Path(folder)) as url,
    ):
        app = create_app({"database_url": url, "key_file": f"{folder}/keys", "scheduler": "off"})
        with app.app_context():
            backend = db.engine.dialect.name
            chained, plain = bench_appends(args.appends)
            print(f"[{backend}] appends ({args.appends}, one commit each):")
            print(f"  chained record(): {chained:8.0f} events/s")
            print(f"  plain inserts:    {plain:8.0f} events/s")
            print(f"  ratio chained/plain: {chained / plain:.2f} (target >= 0.5)")
            generated, verified = bench_verify(args.events)
            print(f"[{backend}] verify {args.events} events:")
            print(f"  bulk generation: {generated:6.1f} s")
            print(f"  verification:    {verified:6.1f} s ({args.events / verified:.0f} events/s)")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
