"""A request counter over a sliding or fixed time window, as vendors enforce limits."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class WindowState:
    """The outcome of counting one request."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: float


class WindowCounter:
    """Count requests; `sliding` keeps a log, otherwise the window resets on a boundary."""

    def __init__(self, limit: int, window: float, *, sliding: bool = True) -> None:
        self.limit = limit
        self.window = window
        self.sliding = sliding
        self._lock = threading.Lock()
        self._log: deque[float] = deque()
        self._fixed_start = time.monotonic()
        self._fixed_count = 0
        # The simulator's own accounting since the last reset (the pacing benchmark's
        # baseline): requests and credits admitted, requests refused with a 429.
        self.admitted = 0
        self.admitted_credits = 0
        self.refused = 0

    def hit(self, cost: int = 1) -> WindowState:
        """Count one request of ``cost`` credits against the window."""
        with self._lock:
            state = self._hit(cost)
            if state.allowed:
                self.admitted += 1
                self.admitted_credits += cost
            else:
                self.refused += 1
            return state

    def _hit(self, cost: int) -> WindowState:
        """The window's verdict (caller holds the lock)."""
        now = time.monotonic()
        if self.sliding:
            while self._log and self._log[0] <= now - self.window:
                self._log.popleft()
            if len(self._log) + cost > self.limit:
                wait = self._log[0] + self.window - now if self._log else self.window
                return WindowState(False, self.limit, 0, max(wait, 0.0))
            self._log.extend([now] * cost)
            return WindowState(True, self.limit, self.limit - len(self._log), 0.0)
        if now - self._fixed_start >= self.window:
            self._fixed_start = now - ((now - self._fixed_start) % self.window)
            self._fixed_count = 0
        if self._fixed_count + cost > self.limit:
            wait = self._fixed_start + self.window - now
            return WindowState(False, self.limit, 0, max(wait, 0.0))
        self._fixed_count += cost
        return WindowState(True, self.limit, self.limit - self._fixed_count, 0.0)

    def reset(self, limit: int | None = None, window: float | None = None) -> None:
        """Forget all counts, optionally with a new limit or window."""
        with self._lock:
            self.limit = limit if limit is not None else self.limit
            self.window = window if window is not None else self.window
            self._log.clear()
            self._fixed_start = time.monotonic()
            self._fixed_count = 0
            self.admitted = self.admitted_credits = self.refused = 0
