"""Webhook ingest benchmark: signed HubSpot batches vs a bare route, same server, same run.

    .venv/bin/python bench/ingest.py [--requests 400] [--rounds 5] [--concurrency 4]
                                     [--database-url URL]

The sidecar app is served over real HTTP on 127.0.0.1 by werkzeug's threaded server. Each
webhook request is a v3-signed HubSpot batch of 10 events (each one a new inbox row); the
baseline is a route on the same app that only returns 200. The two alternate over several
rounds so the noise of a shared machine hits both; prints each round's rates and ratio, the
median ratio (target >= 0.5) and the group commit's requests per commit. SQLite (a
temporary file) by default.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.hubspot.signature import sign_v3  # noqa: E402
from plugin.app import create_app  # noqa: E402
from plugin.database import scratch_database  # noqa: E402
from plugin.extensions import db  # noqa: E402
from plugin.models import InboxEvent  # noqa: E402
from plugin.webhooks.inbox import WRITER, inbox_writer  # noqa: E402
from simulators.common.server import SimulatorServer  # noqa: E402

SECRET = "bench-hubspot-secret"  # noqa: S105 - throw-away benchmark secret
EVENTS_PER_REQUEST = 10


class Batches:
    """Thread-safe source of signed HubSpot batches with never-repeating event ids."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> tuple[bytes, dict[str, str]]:
        """One signed request body and its headers."""
        with self._lock:
            ids = [next(self._ids) for _ in range(EVENTS_PER_REQUEST)]
        now = int(time.time() * 1000)
        events = [
            {
                "eventId": i,
                "subscriptionId": 1001,
                "portalId": 62515,
                "appId": 424242,
                "occurredAt": now,
                "subscriptionType": "ticket.propertyChange",
                "attemptNumber": 0,
                "objectId": 1000 + i,
                "propertyName": "content",
                "changeSource": "CRM_UI",
            }
            for i in ids
        ]
        body = json.dumps(events).encode()
        stamp = str(now)
        headers = {
            "Content-Type": "application/json",
            "X-HubSpot-Signature-Version": "v3",
            "X-HubSpot-Request-Timestamp": stamp,
            "X-HubSpot-Signature-v3": sign_v3(SECRET, "POST", self.url, body, stamp),
        }
        return body, headers


def rate(count: int, concurrency: int, call: Callable[[requests.Session], None]) -> float:
    """Requests per second for ``count`` calls spread over ``concurrency`` client threads."""
    per_worker = count // concurrency

    def work() -> None:
        with requests.Session() as session:
            for _ in range(per_worker):
                call(session)

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(work) for _ in range(concurrency)]:
            future.result()
    return per_worker * concurrency / (time.perf_counter() - start)


def main() -> None:
    """Run alternating rounds of both measurements and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per round and side")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--max-wait-ms", type=float, help="group commit wait (default: the manifest's)"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_database(args.database_url, Path(tmp)) as url,
    ):
        app = create_app(
            {
                "database_url": url,
                "key_file": str(Path(tmp) / "bench.keys"),
                "scheduler": "off",
                "log_level": "WARNING",
                "hubspot": {
                    "token": "t",
                    "client_secret": SECRET,
                    "base_url": "http://127.0.0.1:9",
                },
            }
        )
        app.add_url_rule("/_bench/ok", "bench_ok", lambda: ("", 200))
        if args.max_wait_ms is not None:
            with app.app_context():
                inbox_writer().max_wait = args.max_wait_ms / 1000
        server = SimulatorServer(app).start()
        rounds: list[tuple[float, float]] = []
        try:
            bare_url = f"{server.url}/_bench/ok"
            batches = Batches(f"{server.url}/webhooks/hubspot")

            def bare(session: requests.Session) -> None:
                session.get(bare_url, timeout=10).raise_for_status()

            def webhook(session: requests.Session) -> None:
                body, headers = batches.next()
                answer = session.post(batches.url, data=body, headers=headers, timeout=10)
                if answer.status_code != 202:
                    raise SystemExit(f"webhook answered {answer.status_code}")

            rate(50, args.concurrency, bare)  # warm-up: connections, imports, caches
            rate(50, args.concurrency, webhook)
            for index in range(args.rounds):
                # Alternate which side goes first so a drift in load favours neither.
                if index % 2:
                    ingest = rate(args.requests, args.concurrency, webhook)
                    baseline = rate(args.requests, args.concurrency, bare)
                else:
                    baseline = rate(args.requests, args.concurrency, bare)
                    ingest = rate(args.requests, args.concurrency, webhook)
                rounds.append((baseline, ingest))
        finally:
            server.stop()
        writer = app.extensions.get(WRITER)
        with app.app_context():
            stored = db.session.scalar(sa.select(sa.func.count()).select_from(InboxEvent))
            if writer is not None:
                writer.shutdown()
            db.engine.dispose()
    backend = "sqlite" if url.startswith("sqlite") else "postgresql"
    print(f"backend: {backend}, server: werkzeug threaded, clients: {args.concurrency}")
    for index, (baseline, ingest) in enumerate(rounds, 1):
        print(
            f"round {index}: bare {baseline:7.1f} req/s, POST /webhooks/hubspot "
            f"({EVENTS_PER_REQUEST} events) {ingest:7.1f} req/s "
            f"({ingest * EVENTS_PER_REQUEST:.0f} events/s), ratio {ingest / baseline:.2f}"
        )
    if writer is not None and writer.commits:
        per_commit = writer.committed_requests / writer.commits
        print(f"group commit: {writer.commits} commits, {per_commit:.2f} requests per commit")
    print(f"{stored} events stored")
    ratio = statistics.median(ingest / baseline for baseline, ingest in rounds)
    print(f"median ratio: {ratio:.2f} (target >= 0.5) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")


if __name__ == "__main__":
    main()
