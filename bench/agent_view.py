"""Benchmark the agent view: ``GET /api/tickets/...`` (20 findings) against the same JSON
served from memory by the same server, over real HTTP, in the same run.

    .venv/bin/python bench/agent_view.py [--requests 400] [--clients 8] [--role team_lead]
        [--database-url URL]

Prints p50/p99 latencies and throughput of both with 8 concurrent agents, in alternating
rounds. The ticket route authenticates the JWT, resolves the policy per finding, decrypts
the values the role may see (partial/clear) and queues one audit event per view (the
sequencer thread chains them meanwhile); the baseline only writes bytes. With a
PostgreSQL URL the run uses a throw-away schema.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import requests
from flask import Flask, Response

from plugin.app import create_app
from plugin.auth.tokens import issue_token
from plugin.database import scratch_database
from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.purposes import sync_purposes
from plugin.vault import get_vault
from simulators.common.server import SimulatorServer

# 20 findings across every category: (category, type, value, token)
FINDINGS = (
    [("identity", "cpr", f"0101{n:02d}-12{n:02d}", "[CPR ••••••-••••]") for n in range(4)]
    + [("contact", "email", f"person{n}@example.dk", "[EMAIL]") for n in range(4)]
    + [
        ("location", "postal_address", f"Vestergade {n}, 8000 Aarhus C", "[ADDRESS]")
        for n in range(3)
    ]
    + [("financial", "iban", f"DK50004004401162{n:02d}", "[IBAN]") for n in range(3)]
    + [("online", "ip_address", f"10.0.0.{n}", "[IP]") for n in range(3)]
    + [("special", "health", "diabetes", "[HEALTH]") for _ in range(3)]
)


def build(url: str, workdir: Path) -> Flask:
    """An app on the migrated database ``url`` with one ticket holding the 20 findings."""
    app = create_app(
        {"database_url": url, "key_file": str(workdir / "bench.keys"), "scheduler": "off"}
    )
    with app.app_context():
        sync_purposes(app.extensions["datavagt.manifest"])
        subject = DataSubject()
        db.session.add(subject)
        db.session.flush()
        ticket = Ticket(vendor="freshdesk", external_id="bench-1", subject_id=subject.id)
        ticket.purpose = "support"
        db.session.add(ticket)
        db.session.flush()
        for n, (category, kind, value, token) in enumerate(FINDINGS):
            item = get_vault().encrypt(
                subject.id, value, field="description", kind=kind, ticket_id=ticket.id
            )
            db.session.add(
                Finding(
                    ticket_id=ticket.id,
                    subject_id=subject.id,
                    field="description",
                    type=kind,
                    category=category,
                    start=n * 40,
                    end=n * 40 + len(value),
                    score=0.99,
                    detector=kind,
                    vault_item_id=item.id,
                    masked=token,
                )
            )
        db.session.commit()
    return app


def timed(session: requests.Session, url: str, headers: dict[str, str]) -> float:
    """Seconds for one GET (body read); fails loudly on a non-200 answer."""
    start = time.perf_counter()
    response = session.get(url, headers=headers, timeout=10)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile in milliseconds."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def _concurrent(
    url: str, headers: dict[str, str], clients: int, per_client: int
) -> tuple[list[float], float]:
    """``clients`` threads, each its own keep-alive session, ``per_client`` GETs each:
    every latency and the requests per second over the whole run."""
    latencies: list[float] = []
    barrier = threading.Barrier(clients + 1)

    def run() -> None:
        session = requests.Session()
        barrier.wait()
        mine = [timed(session, url, headers) for _ in range(per_client)]
        latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, clients * per_client / (time.perf_counter() - start)


def main() -> None:
    """Run both routes in alternating rounds and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per route, all clients")
    parser.add_argument("--clients", type=int, default=8, help="concurrent agents")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--role", default="team_lead")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    per_client = max(1, args.requests // (args.clients * args.rounds))
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_database(args.database_url, Path(tmp)) as url,
    ):
        app = build(url, Path(tmp))
        token = issue_token(app.extensions["datavagt.keyring"], agent="bench", role=args.role)
        headers = {"Authorization": f"Bearer {token}"}
        payload: dict[str, bytes] = {}
        app.add_url_rule(
            "/_bench/baseline",
            "bench_baseline",
            lambda: Response(payload["body"], mimetype="application/json"),
        )
        server = SimulatorServer(app).start()
        try:
            real_url = f"{server.url}/api/tickets/freshdesk/bench-1"
            base_url = f"{server.url}/_bench/baseline"
            session = requests.Session()
            payload["body"] = session.get(real_url, headers=headers, timeout=10).content
            for _ in range(args.warmup):
                timed(session, real_url, headers)
                timed(session, base_url, headers)
            real: list[float] = []
            baseline: list[float] = []
            real_rate = base_rate = 0.0
            for _ in range(args.rounds):  # alternating so drift hits both alike
                samples, rate = _concurrent(real_url, headers, args.clients, per_client)
                real += samples
                real_rate += rate / args.rounds
                samples, rate = _concurrent(base_url, headers, args.clients, per_client)
                baseline += samples
                base_rate += rate / args.rounds
        finally:
            server.stop()
            sequencer = app.extensions.get("datavagt.audit_sequencer")
            if sequencer is not None:
                sequencer.stop()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    backend = (args.database_url or "sqlite").split(":", 1)[0]
    print(
        f"agent view, 20 findings, role {args.role}, {backend}, {args.clients} concurrent "
        f"agents, {len(real)} requests per route"
    )
    print(f"{'route':<34}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>10}")
    for name, samples, rate in (
        ("GET /api/tickets/<vendor>/<id>", real, real_rate),
        ("same JSON from memory", baseline, base_rate),
    ):
        print(
            f"{name:<34}{percentile(samples, 50):>10.2f}{percentile(samples, 99):>10.2f}"
            f"{rate:>10.0f}"
        )
    print(
        f"ticket route p99 {percentile(real, 99):.1f} ms (target <= 20 ms on PostgreSQL); "
        f"throughput ratio ticket/memory {real_rate / base_rate:.2f} (target >= 0.3)"
    )


if __name__ == "__main__":
    main()
