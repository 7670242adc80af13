"""The limiter paces from vendor headers: ≥ 90 % of the limit with < 1 % 429s (benchmark)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from adapters.freshdesk import FreshdeskAdapter
from adapters.http import RetryPolicy
from adapters.hubspot import HubSpotAdapter
from simulators.common.base import VendorSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator

LIMIT, WINDOW = 50, 2.0
RETRY = RetryPolicy(max_retries=5, backoff_base=0.01)


def _measure(
    call: Callable[[], object], sim: VendorSimulator, requests: int
) -> tuple[float, float]:
    """Send `requests` calls; return (share of what the limit allows, share of 429s).

    In T seconds a window limit admits at most LIMIT * (floor(T / WINDOW) + 1) requests.
    """
    started = time.monotonic()
    for _ in range(requests):
        call()
    elapsed = time.monotonic() - started
    total = sum(sim.calls.values())
    allowed = total - sim.rejected
    share = allowed / (LIMIT * (math.floor(elapsed / WINDOW) + 1))
    throttled = sim.rejected / max(total, 1)
    print(
        f"\n{type(sim).__name__}: {allowed} answered in {elapsed:.2f}s = {share:.1%} of the "
        f"limit, {sim.rejected} x 429 ({throttled:.2%})"
    )
    return share, throttled


def test_freshdesk_fixed_window_sequential() -> None:
    with FreshdeskSimulator(rate_limit=LIMIT, rate_window=WINDOW) as sim:
        adapter = FreshdeskAdapter(sim.url, sim.api_key, "u", "p", retry=RETRY, rate_window=WINDOW)
        tid = str(
            sim.add_ticket("s", "<p>c</p>", sim.add_contact("n", "n@example.dk"), notify=False)
        )
        share, throttled = _measure(
            lambda: adapter.http.get(f"api/v2/tickets/{tid}"), sim, 2 * LIMIT
        )
        assert share >= 0.8 and throttled <= 0.02


def test_hubspot_sliding_window_learns_interval_from_headers() -> None:
    with HubSpotSimulator(rate_limit=LIMIT, rate_window=WINDOW) as sim:
        adapter = HubSpotAdapter(sim.url, sim.token, "s", retry=RETRY)
        tid = sim.add_ticket("s", "c")
        share, throttled = _measure(
            lambda: adapter.http.get(f"crm/v3/objects/tickets/{tid}"), sim, 2 * LIMIT
        )
        assert adapter.http.limiter is not None and adapter.http.limiter.window == WINDOW
        assert share >= 0.8 and throttled <= 0.02


def test_threads_share_one_limiter() -> None:
    with HubSpotSimulator(rate_limit=LIMIT, rate_window=WINDOW) as sim:
        adapter = HubSpotAdapter(sim.url, sim.token, "s", retry=RETRY)
        tid = sim.add_ticket("s", "c")
        started = time.monotonic()

        def work() -> None:
            for _ in range(LIMIT // 2):
                adapter.http.get(f"crm/v3/objects/tickets/{tid}")

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        total = sum(sim.calls.values())
        print(
            f"\n4 threads: {total - sim.rejected} answered in {elapsed:.2f}s, {sim.rejected} x 429"
        )
        assert sim.rejected / total <= 0.02
        assert total - sim.rejected == 2 * LIMIT
        assert elapsed < 3 * WINDOW
