"""Pace requests from the vendor's own rate-limit headers (thread-safe)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RateLimitHeaders:
    """Where a vendor reports its limit: header names and documented defaults."""

    remaining: str | None = None
    limit: str | None = None
    window_ms: str | None = None
    cost: str | None = None
    default_limit: int | None = None
    default_window: float = 60.0


SHARED_POLL = 0.5  # seconds: longest sleep before asking the shared budget again
SHARED_FULL = 0.5  # of the limit: from here the vendor's count is checked for others' use


class SharedBudgetLike(Protocol):
    """A rate budget other processes book in too."""

    def reserve(
        self, cost: int, limit: int, window: float, *, floor: bool = False
    ) -> tuple[float, int | None]:
        """Book ``cost`` credits: (0, booking id), or (seconds to wait, None). With
        ``floor``, a limit another replica learnt from the vendor replaces ``limit``."""

    def settle(self, booking: int, cost: int, vendor_used: int | None = None) -> None:
        """The request was answered: count it from now, at the ``cost`` the vendor charged;
        ``vendor_used`` (limit minus the answer's remaining) may show others' use."""

    def block(self, seconds: float, window: float, limit: int) -> bool:
        """The vendor answered 429: no replica sends for ``seconds`` (at most ``window``),
        if the shared window is full enough for the 429 to be the account's limit."""

    def learn(self, limit: int, window: float) -> None:
        """The vendor named its limit: replicas that start cold pace at it."""


class Slot:
    """One admitted request, in flight until released."""

    __slots__ = ("booking", "cost", "started")

    def __init__(self, started: float, cost: int = 1, booking: int | None = None) -> None:
        self.started = started
        self.cost = cost
        self.booking = booking  # the shared budget's slot, settled when the answer comes


class RateLimiter:
    """Admit a request only while both the server's `remaining` and our own log allow it.

    The server's count is authoritative (others share the quota); between answers we
    account for requests we started since and for those of ours that left the window.
    Our log of completion times also bounds a window by the limit, so a fixed-window
    server that resets early never makes us overshoot. A 429 blocks every thread until
    `Retry-After` has passed.
    """

    def __init__(
        self,
        headers: RateLimitHeaders,
        *,
        limit: int | None = None,
        window: float | None = None,
        reserve: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.headers = headers
        self._window = window if window is not None else headers.default_window
        self._limit = limit if limit is not None else headers.default_limit
        if limit is None and self._limit is not None and window is not None:
            # The documented floor holds per default_window: keep its rate in this window.
            self._limit = max(1, int(self._limit * window / headers.default_window))
        self._fixed_limit = limit is not None
        # What the shared budget was last told of the limit (None: nothing learnt yet).
        self._shared_learnt: tuple[int, float] | None = None
        self._fixed_window = window is not None
        self._reserve = reserve
        self._clock = clock
        self._cond = threading.Condition()
        # One thread at a time books in the shared budget; the others queue here rather
        # than all polling the database when a slot frees.
        self._booking = threading.Lock()
        self._log: deque[tuple[float, int]] = deque()
        self._in_flight = 0
        self._remaining: int | None = None
        self._remaining_at = 0.0
        self._used_since = 0
        self._blocked_until = 0.0
        self.waited = 0.0
        # A budget shared with other processes (set by the app on PostgreSQL).
        self.shared: SharedBudgetLike | None = None
        self._sleep = time.sleep

    @property
    def limit(self) -> int | None:
        """The limit per window as last learnt."""
        return self._limit

    @property
    def window(self) -> float:
        """The window in seconds as last learnt."""
        return self._window

    def acquire(self, cost: int = 1) -> Slot:
        """Block until a request of ``cost`` credits may be sent, then count it in flight."""
        cost = max(1, cost)
        if self.shared is not None and self._limit:  # known, or the documented floor
            return self._acquire_shared(cost, self.shared)
        with self._cond:
            while True:
                now = self._clock()
                delay = self._delay(now, cost)
                if delay <= 0:
                    break
                self.waited += delay
                self._cond.wait(delay)
            self._in_flight += cost
            self._used_since += cost
            return Slot(now, cost)

    def _acquire_shared(self, cost: int, shared: SharedBudgetLike) -> Slot:
        """The budget every replica books in is the whole limit; a 429 still stops all of
        this process's threads until its Retry-After has passed. The limit is read again on
        every try: an answer may have named the real one since (the floor is lower)."""
        with self._cond:
            while (blocked := self._blocked_until - self._clock()) > 0:
                self.waited += blocked
                self._cond.wait(blocked)
        with self._booking:
            while True:
                limit = self._limit or 1
                # A call dearer than a whole (floor) window goes alone rather than never.
                floor = not self._fixed_limit and self._shared_learnt is None
                wait, booking = shared.reserve(min(cost, limit), limit, self._window, floor=floor)
                if wait <= 0:
                    break
                wait = min(wait, SHARED_POLL)
                self.waited += wait
                self._sleep(wait)
        with self._cond:
            self._in_flight += cost
            self._used_since += cost
            return Slot(self._clock(), cost, booking)

    def release(
        self,
        slot: Slot,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Record a finished request and learn from the answer's headers."""
        # The vendor's own charge wins over our prediction (a next-page link's include=).
        cost = self._int(headers, self.headers.cost) or slot.cost
        if slot.booking is not None and self.shared is not None:
            limit = self._int(headers, self.headers.limit) or self._limit
            remaining = self._int(headers, self.headers.remaining)
            used = limit - remaining if limit is not None and remaining is not None else None
            if status == 429:
                used = None  # a full window now says little of when it frees: the block waits
            elif used is not None and limit is not None and used < limit * SHARED_FULL:
                used = None  # others' use matters near the limit: no locked check until then
            self.shared.settle(slot.booking, cost, used)
        pause: float | None = None
        learnt: tuple[int, float] | None = None
        with self._cond:
            now = self._clock()
            self._in_flight -= slot.cost
            self._log.append((now, cost))
            if headers is not None:
                self._learn(headers, now)
                if self._int(headers, self.headers.limit) and self._limit:
                    learnt = (self._limit, self._window)
            if status == 429:
                pause = (
                    retry_after
                    if retry_after is not None
                    else self._window / max(self._limit or 1, 1)
                )
                self._blocked_until = max(self._blocked_until, now + pause)
            self._cond.notify_all()
        if pause is not None and self.shared is not None:
            # Every replica waits too, when the budget says the account's window is full.
            self.shared.block(pause, self._window, self._limit or 1)
        if learnt is not None and self.shared is not None and learnt != self._shared_learnt:
            self.shared.learn(*learnt)  # once per process, and when the vendor changes it
            self._shared_learnt = learnt

    def _learn(self, headers: Mapping[str, str], now: float) -> None:
        """Take limit, window and remaining from the vendor's headers."""
        limit = self._int(headers, self.headers.limit)
        if limit and not self._fixed_limit:
            self._limit = limit
        window_ms = self._int(headers, self.headers.window_ms)
        if window_ms and not self._fixed_window:
            self._window = window_ms / 1000.0
        remaining = self._int(headers, self.headers.remaining)
        if remaining is not None:
            self._remaining = remaining
            self._remaining_at = now
            self._used_since = self._in_flight

    def _delay(self, now: float, cost: int = 1) -> float:
        """Seconds to wait before the next send (0 when it may go now)."""
        if now < self._blocked_until:
            return self._blocked_until - now
        if self._limit:
            cost = min(cost, self._limit)  # dearer than a whole window: it goes alone
        window = self._window
        horizon = now - window
        if self._remaining is not None:
            horizon = min(now, self._remaining_at) - window
        while self._log and self._log[0][0] <= horizon:
            self._log.popleft()
        in_window = [(ts, cost) for ts, cost in self._log if ts > now - window]
        available: list[int] = []
        if self._limit is not None:
            available.append(self._limit - sum(c for _, c in in_window) - self._in_flight)
        if self._remaining is not None:
            since = self._remaining_at - window
            freed = sum(c for ts, c in self._log if since < ts <= now - window)
            available.append(self._remaining + freed - self._used_since)
        if not available or min(available) - (cost - 1) > self._reserve:
            return 0.0
        if in_window:
            return max(in_window[0][0] + window - now, 0.001)
        if self._in_flight:
            return 0.01  # an answer is on its way and will tell us more
        return window / max(self._limit or 10, 1)

    @staticmethod
    def _int(headers: Mapping[str, str] | None, name: str | None) -> int | None:
        """Read an integer header, tolerating absence and junk."""
        if headers is None or name is None:
            return None
        value = headers.get(name)
        if value is None:
            return None
        try:
            return int(float(value))
        except ValueError:
            return None
