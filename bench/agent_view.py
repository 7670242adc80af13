"""Benchmark the agent view: ``GET /api/tickets/...`` (20 findings) against the same JSON
served from memory by the same server, over real HTTP, in the same run.

    .venv/bin/python bench/agent_view.py [--requests 400] [--role team_lead] [--database-url URL]

Prints p50/p99 latencies of both and their ratio. The ticket route authenticates the JWT,
resolves the policy per finding, decrypts the values the role may see (partial/clear) and
appends one hash-chained audit event per view; the baseline only writes bytes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests
from alembic import command
from flask import Flask, Response

from plugin.app import create_app
from plugin.auth.tokens import issue_token
from plugin.database import alembic_config
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


def build(database_url: str | None, workdir: Path) -> Flask:
    """A migrated app with one ticket holding the 20 findings."""
    url = database_url or f"sqlite:///{workdir / 'bench.db'}"
    command.upgrade(alembic_config(url), "head")
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


def main() -> None:
    """Run both routes interleaved and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--role", default="team_lead")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = build(args.database_url, Path(tmp))
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
            for _ in range(args.requests):  # interleaved so drift hits both alike
                real.append(timed(session, real_url, headers))
                baseline.append(timed(session, base_url, headers))
        finally:
            server.stop()
    backend = (args.database_url or "sqlite").split(":", 1)[0]
    print(f"agent view, 20 findings, role {args.role}, {backend}, {args.requests} requests each")
    print(f"{'route':<34}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, samples in (
        ("GET /api/tickets/<vendor>/<id>", real),
        ("same JSON from memory", baseline),
    ):
        print(
            f"{name:<34}{percentile(samples, 50):>10.2f}{percentile(samples, 99):>10.2f}"
            f"{statistics.mean(samples) * 1000:>10.2f}"
        )
    ratio50 = percentile(real, 50) / percentile(baseline, 50)
    ratio99 = percentile(real, 99) / percentile(baseline, 99)
    print(f"ratio (ticket / memory): p50 {ratio50:.2f}x, p99 {ratio99:.2f}x")


if __name__ == "__main__":
    main()
