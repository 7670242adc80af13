"""Remember our own writes briefly so their webhook echoes can be recognised."""

from __future__ import annotations

import threading
import time


class OwnWrites:
    """A thread-safe, time-limited set of (object id, marker) pairs."""

    def __init__(self, ttl: float = 3600.0, max_items: int = 10_000) -> None:
        self.ttl = ttl
        self.max_items = max_items
        self._lock = threading.Lock()
        self._items: dict[tuple[str, str], float] = {}

    def add(self, object_id: str, marker: str) -> None:
        """Record that we changed an object, identified by a marker (e.g. updated_at)."""
        with self._lock:
            now = time.monotonic()
            if len(self._items) >= self.max_items:
                self._items = {k: t for k, t in self._items.items() if now - t < self.ttl}
            self._items[(object_id, marker)] = now

    def seen(self, object_id: str, marker: str) -> bool:
        """Return whether the marker matches a recent write of ours."""
        with self._lock:
            at = self._items.get((object_id, marker))
            return at is not None and time.monotonic() - at < self.ttl
