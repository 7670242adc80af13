"""One replica for the shared-budget test: N HubSpot reads, paced alone or by the budget."""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from adapters.http import RetryPolicy
from adapters.hubspot import HubSpotAdapter
from plugin.retention.budget import SharedBudget
from plugin.vendors.errors import RateLimited


def _read(adapter: HubSpotAdapter, ticket: str) -> None:
    try:
        adapter.record_exists("ticket", ticket)
    except RateLimited:
        pass  # still 429 after every retry: the simulator counted each one


def main() -> None:
    db_url, sim_url, token, secret, ticket, count, start_at, shared = sys.argv[1:9]
    adapter = HubSpotAdapter(
        sim_url,
        token,
        secret,
        retry=RetryPolicy(max_retries=8, backoff_base=0.05, backoff_max=0.5),
    )  # limit and window come from the X-HubSpot-RateLimit-* headers
    if shared == "shared":
        adapter.http.limiter.shared = SharedBudget(sa.create_engine(db_url), "hubspot")
    adapter.record_exists("ticket", ticket)  # learn the limit from the first answer
    time.sleep(max(0.0, float(start_at) - time.time()))
    began = time.time()
    # Eight threads share the adapter, as a dispatcher's do: latency does not bound the rate.
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: _read(adapter, ticket), range(int(count))))
    print(json.dumps({"began": began, "ended": time.time(), "sent": int(count) + 1}))
    adapter.close()


if __name__ == "__main__":
    main()
