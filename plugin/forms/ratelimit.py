"""Per-client submission limit: a fixed one-minute window per IP hash, kept in process.

In process, not in the database, on purpose: anonymous traffic must not be able to drive
database writes (every rejected hit would otherwise be a write), and the limit is a spam
brake, not a security boundary. With N replicas behind a load balancer a client gets at most
N times the limit; put the proxy's own limit in front when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class MinuteLimiter:
    """At most ``limit`` hits per key per window; memory bounded by pruning old windows."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (window number, hits)

    def hit(self, key: str) -> float | None:
        """Count a hit; seconds to wait when over the limit, else None."""
        now = self.clock()
        current = int(now // self.window)
        with self._lock:
            if len(self._counts) > 10000:
                self._counts = {k: v for k, v in self._counts.items() if v[0] == current}
            number, hits = self._counts.get(key, (current, 0))
            if number != current:
                hits = 0
            if hits >= self.limit:
                return max(1.0, math.ceil((current + 1) * self.window - now))
            self._counts[key] = (current, hits + 1)
            return None
