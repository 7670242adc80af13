"""Retention pacing benchmark: deletions per second against each simulator's rate limit.

For every vendor a simulator enforces LIMIT requests per WINDOW seconds; the retention
executor deletes tickets through the vendor adapter from THREADS threads sharing one HTTP
client (so one rate limiter), as the dispatcher does. Printed per vendor:

* achieved deletions/s and the ratio to the configured limit (target >= 0.9),
* the share of answers that were 429 (target < 1 %).

A last line runs the whole pipeline (sweep -> outbox -> dispatcher -> audit + evidence)
for Freshdesk on SQLite with a limit below what the database can record, to show that the
end-to-end path keeps the pace too.

    .venv/bin/python bench/retention.py [--limit 50] [--window 2] [--windows 6] [--threads 8]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.dynamics import DynamicsAdapter  # noqa: E402
from adapters.freshdesk import FreshdeskAdapter  # noqa: E402
from adapters.hubspot import HubSpotAdapter  # noqa: E402
from plugin.retention.executor import execute  # noqa: E402
from plugin.retention.outbox import ClaimedJob  # noqa: E402
from plugin.vendors.contract import Adapter  # noqa: E402
from simulators.common.base import VendorSimulator  # noqa: E402
from simulators.dynamics.simulator import DynamicsSimulator  # noqa: E402
from simulators.freshdesk.simulator import FreshdeskSimulator  # noqa: E402
from simulators.hubspot.simulator import HubSpotSimulator  # noqa: E402


def _job(vendor: str, target: str, n: int) -> ClaimedJob:
    return ClaimedJob(n, "delete_ticket", vendor, target, None, None, "retention", {}, 1)


def _freshdesk(limit: int, window: float, n: int) -> tuple[VendorSimulator, Adapter, list[str]]:
    sim = FreshdeskSimulator(rate_limit=limit, rate_window=window).start()
    contact = sim.add_contact("Bench", "bench@example.com")
    ids = [str(sim.add_ticket("s", "b", contact, status=5, notify=False)) for _ in range(n)]
    adapter = FreshdeskAdapter(sim.url, sim.api_key, "u", "p", rate_window=window)
    return sim, adapter, ids


def _hubspot(limit: int, window: float, n: int) -> tuple[VendorSimulator, Adapter, list[str]]:
    sim = HubSpotSimulator(rate_limit=limit, rate_window=window).start()
    ids = [sim.add_ticket("s", "b") for _ in range(n)]
    return sim, HubSpotAdapter(sim.url, sim.token, sim.client_secret), ids


def _dynamics(limit: int, window: float, n: int) -> tuple[VendorSimulator, Adapter, list[str]]:
    sim = DynamicsSimulator(rate_limit=limit, rate_window=window).start()
    ids = [sim.add_incident("s", "b") for _ in range(n)]
    adapter = DynamicsAdapter(
        sim.url,
        sim.aad.tenant_id,
        sim.aad.client_id,
        sim.aad.client_secret,
        sim.webhook_key,
        authority_url=sim.url,
        rate_limit=limit,
        rate_window=window,
    )
    return sim, adapter, ids


VENDORS: dict[str, Callable[[int, float, int], tuple[VendorSimulator, Adapter, list[str]]]] = {
    "freshdesk": _freshdesk,
    "hubspot": _hubspot,
    "dynamics": _dynamics,
}


def run_vendor(name: str, limit: int, window: float, windows: int, threads: int) -> dict[str, Any]:
    """Delete limit*windows tickets through the executor from several threads."""
    count = limit * windows
    sim, adapter, ids = VENDORS[name](limit, window, count)
    queue = list(enumerate(ids))
    lock = threading.Lock()
    results: list[str] = []

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                n, target = queue.pop()
            results.append(execute(_job(name, target, n), {name: adapter}).result)

    sim.calls.clear()
    sim.rejected = 0
    started = time.monotonic()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(sim.calls.values())
    deleted = results.count("done")
    # In T seconds a window limit admits at most LIMIT * (floor(T / WINDOW) + 1) requests.
    allowed = limit * (math.floor(elapsed / window) + 1)
    answered = total - sim.rejected
    adapter.close()
    sim.stop()
    return {
        "vendor": name,
        "deleted": deleted,
        "seconds": elapsed,
        "rate": deleted / elapsed,
        "limit_rate": limit / window,
        # What the limit admits in the elapsed time, counting the window in progress in full.
        "ratio": answered / allowed,
        "requests": total,
        "429": sim.rejected,
        "429_share": sim.rejected / max(total, 1),
    }


def run_pipeline(limit: int, window: float, count: int) -> dict[str, Any]:
    """Sweep + outbox + dispatcher + audit/evidence for Freshdesk on a SQLite file."""
    from datetime import timedelta

    from plugin.app import create_app
    from plugin.database import upgrade
    from plugin.extensions import db
    from plugin.models import Ticket
    from plugin.models.types import utcnow
    from plugin.purposes import sync_purposes
    from plugin.retention.dispatcher import Dispatcher
    from plugin.retention.sweep import sweep

    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    sim = FreshdeskSimulator(rate_limit=limit, rate_window=window).start()
    app = create_app(
        {
            "database_url": url,
            "key_file": str(folder / "keys"),
            "scheduler": "off",
            "log_level": "WARNING",
            "freshdesk": {
                "base_url": sim.url,
                "api_key": sim.api_key,
                "webhook_user": "u",
                "webhook_password": "p",
            },
            "retention_threads": 4,
            "retention_idle_sleep": 0.05,
        }
    )
    adapter = app.extensions["datavagt.adapters"]["freshdesk"]
    adapter.http.limiter._window = window  # Freshdesk sends no window header: set it as configured
    with app.app_context():
        sync_purposes(app.extensions["datavagt.manifest"])
        contact = sim.add_contact("Bench", "bench@example.com")
        closed = utcnow() - timedelta(days=400)
        for _ in range(count):
            tid = sim.add_ticket("s", "b", contact, status=5, notify=False)
            db.session.add(
                Ticket(
                    vendor="freshdesk",
                    external_id=str(tid),
                    purpose="support",
                    status="closed",
                    closed_at=closed,
                )
            )
        db.session.commit()
        sweep()
        sim.calls.clear()
        sim.rejected = 0
        started = time.monotonic()
        stats = Dispatcher(app).run_until_idle()
        elapsed = time.monotonic() - started
    total = sum(sim.calls.values())
    answered = total - sim.rejected
    sim.stop()
    done = stats.counts["done"]
    return {
        "vendor": "freshdesk (full pipeline, SQLite)",
        "deleted": done,
        "seconds": elapsed,
        "rate": done / elapsed,
        "limit_rate": limit / window,
        "ratio": answered / (limit * (math.floor(elapsed / window) + 1)),
        "requests": total,
        "429": sim.rejected,
        "429_share": sim.rejected / max(total, 1),
    }


def main() -> None:
    """Run every vendor, then the pipeline, and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=50, help="requests per window")
    parser.add_argument("--window", type=float, default=2.0, help="window in seconds")
    parser.add_argument("--windows", type=int, default=6, help="how many windows of work")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pipeline-limit", type=int, default=20, help="limit for the pipeline")
    args = parser.parse_args()
    print(
        f"limit {args.limit} per {args.window:g}s = {args.limit / args.window:g}/s, "
        f"{args.threads} threads, {args.limit * args.windows} deletions per vendor"
    )
    rows = [run_vendor(v, args.limit, args.window, args.windows, args.threads) for v in VENDORS]
    rows.append(run_pipeline(args.pipeline_limit, args.window, args.pipeline_limit * args.windows))
    for row in rows:
        verdict = "OK" if row["ratio"] >= 0.9 and row["429_share"] < 0.01 else "BELOW TARGET"
        print(
            f"{row['vendor']:<36} {row['deleted']:>5} deleted in {row['seconds']:6.2f}s = "
            f"{row['rate']:6.2f}/s (limit {row['limit_rate']:g}/s): {row['ratio']:.1%} of what "
            f"the limit admits in that time; "
            f"429s {row['429']}/{row['requests']} = {row['429_share']:.2%}  [{verdict}]"
        )


if __name__ == "__main__":
    main()
