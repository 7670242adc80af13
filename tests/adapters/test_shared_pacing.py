"""Pacing by the vendors' documented limits with one budget for every replica: credits as
the vendor charged them, a 429's pause for all, no unbooked burst before the first answer;
and cold worker processes against the simulators stay under 1 % 429s (bench/pacing.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sqlalchemy as sa

from adapters.freshdesk import config as freshdesk_config
from adapters.http import RateLimiter
from adapters.hubspot import config as hubspot_config
from plugin.config import ROOT
from plugin.database import throwaway_schema
from plugin.retention.budget import SharedBudget
from tests.conftest import BACKENDS, PG_URL


class FakeBudget:
    """Records what the limiter books, settles and blocks; always has room."""

    def __init__(self) -> None:
        self.reserved: list[tuple[int, int, float]] = []
        self.settled: list[tuple[int, int, int | None]] = []
        self.blocked: list[tuple[float, float]] = []
        self.learnt: list[tuple[int, float]] = []
        self.floors: list[bool] = []

    def reserve(
        self, cost: int, limit: int, window: float, *, floor: bool = False
    ) -> tuple[float, int | None]:
        self.reserved.append((cost, limit, window))
        self.floors.append(floor)
        return 0.0, len(self.reserved)

    def learn(self, limit: int, window: float) -> None:
        self.learnt.append((limit, window))

    def settle(self, booking: int, cost: int, vendor_used: int | None = None) -> None:
        self.settled.append((booking, cost, vendor_used))

    def block(self, seconds: float, window: float, limit: int) -> bool:
        self.blocked.append((seconds, window))
        return True


def test_next_page_link_include_costs_credits() -> None:
    """Freshdesk's next-page link carries the include= of the first page's query."""
    link = "https://x.freshdesk.com/api/v2/tickets?include=description,requester&page=2"
    assert freshdesk_config.request_credits("GET", link, None) == 5
    assert freshdesk_config.request_credits("GET", "api/v2/tickets/7", {"include": "stats"}) == 3
    assert freshdesk_config.request_credits("GET", "api/v2/tickets/7", None) == 1
    assert freshdesk_config.request_credits("DELETE", link, None) == 1


def test_first_requests_are_booked_before_the_limit_is_known() -> None:
    """A cold replica books in the shared budget at the documented floor (HubSpot's 100 per
    10 s for Free/Starter) instead of sending unbooked until an answer names the limit."""
    limiter = RateLimiter(hubspot_config.RATE_LIMIT)
    limiter.shared = budget = FakeBudget()
    limiter.acquire()
    assert budget.reserved == [(1, 100, 10.0)]
    assert budget.floors == [True]  # another replica's learnt limit may replace the floor


def test_learnt_limit_is_shared_once_and_ends_the_floor() -> None:
    """The first answer naming the limit is told to the shared budget (so a replica that
    starts cold, e.g. after a crash, paces at it); the same limit again is not re-written."""
    limiter = RateLimiter(hubspot_config.RATE_LIMIT)
    limiter.shared = budget = FakeBudget()
    headers = {"X-HubSpot-RateLimit-Max": "190", "X-HubSpot-RateLimit-Remaining": "180"}
    for _ in range(3):
        limiter.release(limiter.acquire(), 200, headers)
    assert budget.learnt == [(190, 10.0)]
    assert budget.floors == [True, False, False]


def test_vendor_charge_is_settled_in_the_shared_budget() -> None:
    limiter = RateLimiter(freshdesk_config.RATE_LIMIT)
    limiter.shared = budget = FakeBudget()
    slot = limiter.acquire(1)  # predicted 1 credit
    headers = {"X-RateLimit-Total": "700", "X-RateLimit-Used-CurrentRequest": "3"}
    limiter.release(slot, 200, headers)
    assert budget.settled == [(1, 3, None)]
    limiter.acquire(1)
    assert budget.reserved[-1] == (1, 700, 60.0)  # the limit the answer named


def test_vendor_remaining_is_passed_to_the_shared_budget() -> None:
    """What the vendor counts (limit - remaining) lets the budget see other clients' use;
    a 429's zero remaining is left to the Retry-After block instead."""
    limiter = RateLimiter(hubspot_config.RATE_LIMIT)
    limiter.shared = budget = FakeBudget()
    headers = {"X-HubSpot-RateLimit-Max": "190", "X-HubSpot-RateLimit-Remaining": "50"}
    limiter.release(limiter.acquire(), 200, headers)
    limiter.release(limiter.acquire(), 429, {**headers, "X-HubSpot-RateLimit-Remaining": "0"})
    # Far from the limit (40 of 190 used) others' use is not checked (no locked query).
    limiter.release(limiter.acquire(), 200, {**headers, "X-HubSpot-RateLimit-Remaining": "150"})
    assert budget.settled == [(1, 1, 140), (2, 1, None), (3, 1, None)]


def test_429_pauses_every_replica() -> None:
    limiter = RateLimiter(freshdesk_config.RATE_LIMIT)
    limiter.shared = budget = FakeBudget()
    slot = limiter.acquire()
    limiter.release(slot, 429, {"X-RateLimit-Total": "200"}, retry_after=7.0)
    assert budget.blocked == [(7.0, 60.0)]


def _bench(vendor: str, workers: int) -> dict[str, float]:
    """bench/pacing.py for one vendor: cold workers, 10-second windows at the documented rate.

    Ten seconds, not three: "< 1 % 429s" needs over a hundred requests to mean anything (a
    3-second window gave 44, so a single 429 was 2.3 %)."""
    out = subprocess.run(
        [
            sys.executable,
            "bench/pacing.py",
            "--vendors",
            vendor,
            "--replicas",
            str(workers),
            "--window",
            "10",
            "--windows",
            "2",
            "--database-url",
            PG_URL,
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert len(rows) == 1
    print(rows[0])
    return rows[0]


@pytest.mark.parametrize("vendor", ["freshdesk", "hubspot"])
def test_three_cold_replicas_share_one_budget(vendor: str) -> None:
    """Three worker processes, started together with no warm-up, one PostgreSQL budget:
    Freshdesk's mix includes next-page links charged 3 credits and predicted 1 before."""
    if "postgresql" not in BACKENDS:
        pytest.skip("the shared budget lives in PostgreSQL")
    row = _bench(vendor, 3)
    assert row["throttled"] < 0.01, row
    # 0.95-1.0 measured alone; the shared 2-core machine leaves room for slower workers.
    assert row["ratio"] >= 0.8, row


def test_budget_counts_charged_credits_and_blocks_every_replica_on_postgresql() -> None:
    if "postgresql" not in BACKENDS:
        pytest.skip("the shared budget lives in PostgreSQL")
    with throwaway_schema(PG_URL, "t") as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        one, other = SharedBudget(engine, "freshdesk"), SharedBudget(engine, "freshdesk")
        wait, first = one.reserve(1, 10, 60.0)
        assert wait == 0 and first is not None
        one.settle(first, 7)  # the answer said 7 credits
        wait, refused = other.reserve(4, 10, 60.0)  # 7 + 4 > 10, for the other replica too
        assert refused is None and 59 < wait <= 60.7  # until the 7 leave the window
        wait, booked = other.reserve(3, 10, 60.0)
        assert wait == 0 and booked is not None
        assert one.block(2.0, 60.0, 10)  # a 429 with Retry-After: 2, the window full
        wait, refused = other.reserve(1, 10_000, 60.0)  # whatever limit a replica knows
        assert refused is None and 1.5 < wait <= 2.0
        assert one.block(3600.0, 60.0, 10)  # a Retry-After longer than the window: bounded
        wait, refused = other.reserve(1, 10_000, 60.0)
        assert refused is None and 50 < wait <= 60.0
        hubspot = SharedBudget(engine, "hubspot")
        assert hubspot.reserve(1, 10, 10.0)[0] == 0  # per vendor
        # 1 of 10 booked: that 429 is not the account's limit, the other replicas go on.
        assert not hubspot.block(2.0, 10.0, 10)
        assert hubspot.reserve(1, 10, 10.0)[0] == 0
        engine.dispose()


def test_budget_books_what_another_client_spent_on_postgresql() -> None:
    if "postgresql" not in BACKENDS:
        pytest.skip("the shared budget lives in PostgreSQL")
    with throwaway_schema(PG_URL, "t") as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        budget = SharedBudget(engine, "hubspot")
        _, first = budget.reserve(1, 10, 10.0)
        _, second = budget.reserve(1, 10, 10.0)
        assert first is not None and second is not None
        budget.settle(first, 1, vendor_used=6)  # the vendor counts 6: 4 are someone else's
        budget.settle(second, 1, vendor_used=6)  # the same 4, not booked twice
        assert budget.reserve(5, 10, 10.0)[1] is None  # 2 + 4 + 5 > 10
        assert budget.reserve(4, 10, 10.0)[1] is not None
        engine.dispose()


def test_replica_started_after_a_crash_paces_at_the_learnt_limit_on_postgresql() -> None:
    """A process killed mid-run leaves bookings it never settles. A replica started after
    it knows only the documented floor (Freshdesk 50/min) until an answer names the limit;
    it reads the limit the dead one learnt, so its share of the window is not used up by
    the dead process's bookings."""
    if "postgresql" not in BACKENDS:
        pytest.skip("the shared budget lives in PostgreSQL")
    with throwaway_schema(PG_URL, "t") as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        dead = SharedBudget(engine, "freshdesk")
        dead.learn(1000, 60.0)  # from the vendor's X-RateLimit-Total
        for _ in range(60):  # booked, never settled: the process was killed
            assert dead.reserve(1, 1000, 60.0)[1] is not None
        restarted = SharedBudget(engine, "freshdesk")
        assert restarted.reserve(1, 50, 60.0)[1] is None  # the floor alone: stalled
        wait, booked = restarted.reserve(1, 50, 60.0, floor=True)
        assert wait == 0 and booked is not None
        engine.dispose()
