"""Pacing benchmark: 1 and 3 worker processes sharing one rate budget in one PostgreSQL.

For each vendor a simulator serves over real HTTP with the vendor's documented limit (the
per-minute and per-5-minute ones scaled to a 10-second window at the same rate, so a run
takes seconds, not minutes). Then 1, and then 3, separate worker processes start cold,
each with its own adapter, HTTP client and limiter, the limiter booking in the one shared
budget (``plugin.retention.budget.SharedBudget``, table ``vendor_rate_slots``) in a
throwaway PostgreSQL schema, and hammer the simulator from THREADS threads each for
WINDOWS windows. Printed per vendor and replica count:

* credits the simulator admitted in the measured windows over what its limit admits in
  them (the baseline is the simulator's own accounting in the same run: its window is
  reset when the workers start, so at most WINDOWS x limit credits can pass),
* the same for the windows after the first ("later": no start-up burst, so it shows what
  re-dating bookings to the answer's time and the clock margin cost in steady state),
* the share of requests the simulator answered 429, and whether the target
  (>= 0.9 of the limit and < 1 % 429s) was met.

Limits (documented, then as run):

* HubSpot: 190 requests / 10 s rolling, per private app on Professional and Enterprise
  (developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview); run as is.
* Freshdesk: 700 credits / minute on Enterprise (support.freshdesk.com/support/solutions/
  articles/225439); run as 117 / 10 s. Calls mix a plain ticket read (1 credit), a read
  with ``include=conversations`` (3) and a ticket list's next page whose link carries
  ``include=description`` (3): "Each include will consume an additional 2 credits"
  (developers.freshdesk.com/api/#list_all_tickets).
* Dynamics 365: 6000 requests / 5 minutes sliding, per user (learn.microsoft.com/
  power-apps/developer/data-platform/api-limits); run as 200 / 10 s.

    .venv/bin/python bench/pacing.py [--database-url URL] [--windows 2] [--threads 8]
        [--replicas 1,3] [--vendors hubspot,freshdesk,dynamics] [--latency 0.03]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from plugin.database import throwaway_schema  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Vendor:
    """A vendor's documented limit; the benchmark runs its rate in a shorter window."""

    name: str
    documented: str
    per_second: float

    def limit(self, window: float) -> int:
        """Requests (credits) per ``window`` seconds at the documented rate."""
        return round(self.per_second * window)


VENDORS = {
    "hubspot": Vendor("hubspot", "190 / 10 s (private app, Pro/Enterprise)", 19.0),
    "freshdesk": Vendor("freshdesk", "700 credits / min (Enterprise)", 700 / 60),
    "dynamics": Vendor("dynamics", "6000 / 5 min (per user)", 20.0),
}


def start_simulator(vendor: Vendor, window: float, latency: float) -> tuple[Any, dict[str, Any]]:
    """The vendor's simulator with one record to read; the worker's settings."""
    limits: dict[str, Any] = {
        "rate_limit": vendor.limit(window),
        "rate_window": window,
        "latency": latency,
    }
    if vendor.name == "hubspot":
        from simulators.hubspot.simulator import HubSpotSimulator

        sim = HubSpotSimulator(**limits)
        sim.start()
        ticket = sim.add_ticket("Pacing", "bench")
        return sim, {"url": sim.url, "token": sim.token, "secret": sim.client_secret, "id": ticket}
    if vendor.name == "freshdesk":
        from simulators.freshdesk.simulator import FreshdeskSimulator

        sim = FreshdeskSimulator(**limits)
        sim.start()
        contact = sim.add_contact("Bench", "bench@example.com")
        ids = [sim.add_ticket("Pacing", "<p>bench</p>", contact, notify=False) for _ in range(3)]
        return sim, {"url": sim.url, "key": sim.api_key, "id": str(ids[0])}
    from simulators.dynamics.simulator import DynamicsSimulator

    sim = DynamicsSimulator(**limits)
    sim.start()
    return sim, {
        "url": sim.url,
        "tenant": sim.aad.tenant_id,
        "client": sim.aad.client_id,
        "secret": sim.aad.client_secret,
        "webhook_key": sim.webhook_key,
        "id": sim.add_incident("Pacing", "bench"),
    }


# -- worker process --------------------------------------------------------------------
def _adapter(name: str, cfg: dict[str, Any]) -> tuple[Any, list[tuple[str, dict[str, str] | None]]]:
    """The product's adapter for the vendor, and the calls a worker cycles through."""
    from adapters.http import RetryPolicy

    retry = RetryPolicy(max_retries=4, backoff_base=0.05, backoff_max=0.5, retry_after_max=15)
    if name == "hubspot":
        from adapters.hubspot import HubSpotAdapter

        adapter = HubSpotAdapter(cfg["url"], cfg["token"], cfg["secret"], retry=retry)
        return adapter, [(f"crm/v3/objects/tickets/{cfg['id']}", None)]
    if name == "freshdesk":
        from adapters.freshdesk import FreshdeskAdapter

        adapter = FreshdeskAdapter(
            cfg["url"], cfg["key"], "u", "p", retry=retry, rate_window=cfg["window"]
        )
        ticket = f"api/v2/tickets/{cfg['id']}"
        # A list's next page: Freshdesk's Link header carries the query, include= too.
        next_page = f"{cfg['url']}/api/v2/tickets?include=description&per_page=1&page=2"
        return adapter, [
            (ticket, None),
            (ticket, {"include": "conversations"}),
            (next_page, None),
        ]
    from adapters.dynamics import DynamicsAdapter

    adapter = DynamicsAdapter(
        cfg["url"],
        cfg["tenant"],
        cfg["client"],
        cfg["secret"],
        cfg["webhook_key"],
        authority_url=cfg["url"],
        retry=retry,
        rate_limit=cfg["limit"],
        rate_window=cfg["window"],
    )
    return adapter, [(f"incidents({cfg['id']})", None)]


def worker(cfg: dict[str, Any]) -> None:
    """One replica: its own adapter and limiter, the budget in PostgreSQL; prints counts."""
    from plugin.retention.budget import SharedBudget
    from plugin.vendors.errors import AdapterError

    adapter, calls = _adapter(cfg["vendor"], cfg)
    engine = sa.create_engine(cfg["database_url"], pool_size=cfg["threads"] + 2)
    adapter.http.limiter.shared = SharedBudget(engine, cfg["vendor"])
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def count(response: Any, *args: Any, **kwargs: Any) -> None:
        with lock:
            statuses[response.status_code] += 1

    adapter.http.session.hooks["response"].append(count)
    with engine.connect():
        pass  # connected before the start, like a replica that has been up a while
    print("ready", flush=True)
    start_at, stop_at = (float(x) for x in sys.stdin.readline().split())
    time.sleep(max(0.0, start_at - time.time()))
    failures: Counter[str] = Counter()

    def hammer(offset: int) -> None:
        n = offset
        while time.time() < stop_at:
            path, params = calls[n % len(calls)]
            n += 1
            try:
                adapter.http.get(path, params=params)
            except AdapterError as exc:
                with lock:
                    failures[type(exc).__name__] += 1

    threads = [
        threading.Thread(target=hammer, args=(i,), daemon=True) for i in range(cfg["threads"])
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, stop_at - time.time()))
    for thread in threads:
        thread.join(timeout=0.5)  # one still waiting for the budget is abandoned
    with lock:
        print(json.dumps({"statuses": dict(statuses), "failures": dict(failures)}), flush=True)
    os._exit(0)


# -- orchestration -------------------------------------------------------------------
def _foreign(name: str, cfg: dict[str, Any], count: int) -> None:
    """Another client of the same account (HubSpot: the same app) spends ``count`` credits
    at once, unpaced; only the vendor's answers tell the replicas about it."""
    import requests

    if name == "hubspot":
        url, kwargs = (
            f"{cfg['url']}/crm/v3/objects/tickets/{cfg['id']}",
            {"headers": {"Authorization": f"Bearer {cfg['token']}"}},
        )
    else:
        url, kwargs = f"{cfg['url']}/api/v2/tickets/{cfg['id']}", {"auth": (cfg["key"], "X")}
    with requests.Session() as session:
        for _ in range(count):
            session.get(url, timeout=5, **kwargs)


def run(
    vendor: Vendor,
    replicas: int,
    scoped_url: str,
    *,
    window: float,
    windows: int,
    threads: int,
    latency: float,
    foreign: float = 0.0,
) -> dict[str, Any]:
    """One vendor, ``replicas`` cold worker processes; the simulator's accounting."""
    engine = sa.create_engine(scoped_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM vendor_rate_slots"))
    engine.dispose()
    limit = vendor.limit(window)
    sim, cfg = start_simulator(vendor, window, latency)
    cfg.update(vendor=vendor.name, database_url=scoped_url, threads=threads, limit=limit)
    cfg["window"] = window
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", json.dumps(cfg)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(replicas)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        measured = windows * window
        start_at = time.time() + 0.3
        stop_at = start_at + measured + 0.5
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(f"{start_at} {stop_at}\n")
            proc.stdin.flush()
        time.sleep(max(0.0, start_at - time.time() - 0.005))
        sim.window.reset()  # the simulator's windows start with the workers
        if foreign:
            threading.Thread(
                target=_foreign, args=(vendor.name, cfg, round(foreign * limit))
            ).start()
        time.sleep(max(0.0, start_at + window - time.time()))
        first = sim.window.admitted_credits  # the first window: one burst at the start
        time.sleep(max(0.0, start_at + measured - time.time()))
        admitted = sim.window.admitted_credits  # within the measured windows
        statuses: Counter[int] = Counter()
        failures: Counter[str] = Counter()
        for proc in procs:
            out, _ = proc.communicate(timeout=60)
            result = json.loads(out.strip().splitlines()[-1])
            statuses.update({int(k): v for k, v in result["statuses"].items()})
            failures.update(result["failures"])
        hits = sim.window.admitted + sim.window.refused
        sent = sum(statuses.values())
        return {
            "vendor": vendor.name,
            "workers": replicas,
            "limit": limit,
            "window": window,
            "ratio": admitted / (windows * limit),
            "later_ratio": (admitted - first) / ((windows - 1) * limit) if windows > 1 else None,
            "admitted": admitted,
            "rate": admitted / measured,
            "throttled": sim.window.refused / max(hits, 1),
            "refused": sim.window.refused,
            "requests": hits,
            "client_429": statuses.get(429, 0),
            "ours_throttled": statuses.get(429, 0) / max(sent, 1),
            "failures": dict(failures),
        }
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        sim.stop()


def main() -> None:
    """Parse arguments, run every vendor at every replica count, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default=os.environ.get("DATAVAGT_BENCH_PG", PG_URL))
    parser.add_argument("--window", type=float, default=10.0, help="seconds (rate as documented)")
    parser.add_argument("--windows", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--replicas", default="1,3")
    parser.add_argument("--vendors", default="hubspot,freshdesk,dynamics")
    parser.add_argument("--latency", type=float, default=0.03, help="simulator answer delay")
    parser.add_argument("--json", action="store_true", help="one JSON line per run")
    parser.add_argument(
        "--foreign",
        type=float,
        default=0.0,
        help="share of the limit another client spends at the start (HubSpot, Freshdesk)",
    )
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return
    replica_counts = [int(n) for n in args.replicas.split(",")]
    print(
        f"{args.windows} windows of {args.window:g} s per run, {args.threads} threads per worker, "
        f"simulator latency {args.latency * 1000:.0f} ms; one shared budget in PostgreSQL"
    )
    header = (
        f"{'vendor':<10} {'documented limit':<40} {'as run':>9} {'workers':>7} "
        f"{'credits/s':>9} {'of limit':>8} {'later':>6} {'429s':>12}  target >=0.9 and <1% 429"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    with throwaway_schema(args.database_url, "pace") as scoped:
        for name in args.vendors.split(","):
            vendor = VENDORS[name]
            for replicas in replica_counts:
                r = run(
                    vendor,
                    replicas,
                    scoped,
                    window=args.window,
                    windows=args.windows,
                    threads=args.threads,
                    latency=args.latency,
                    foreign=args.foreign,
                )
                met = r["ratio"] >= 0.9 and r["throttled"] < 0.01
                all_met &= met
                if args.json:
                    print(json.dumps(r), flush=True)
                    continue
                extra = f"  failures {r['failures']}" if r["failures"] else ""
                print(
                    f"{vendor.name:<10} {vendor.documented:<40} "
                    f"{r['limit']:>4}/{args.window:g}s {replicas:>7} {r['rate']:>9.1f} "
                    f"{r['ratio']:>8.3f} {r['later_ratio'] or 0:>6.3f} "
                    f"{r['refused']:>4}/{r['requests']:<4} "
                    f"{r['throttled']:>5.1%}  {'met' if met else 'NOT met'}{extra}",
                    flush=True,
                )
    print("all targets met" if all_met else "some targets NOT met")


if __name__ == "__main__":
    main()
