"""Retry policy: which failures to retry, and how long to sleep between tries."""

from __future__ import annotations

import random
from dataclasses import dataclass

from urllib3.util.retry import Retry

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, capped attempts, honouring `Retry-After`."""

    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    statuses: frozenset[int] = RETRY_STATUSES

    def should_retry_status(self, status: int, attempt: int) -> bool:
        """Retry rate limits and server errors while attempts remain (never 401/403)."""
        return status in self.statuses and attempt < self.max_retries

    def should_retry_error(self, attempt: int) -> bool:
        """Retry connection failures and timeouts while attempts remain."""
        return attempt < self.max_retries

    def sleep_time(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number `attempt + 1`; the server's hint wins."""
        hinted = self.parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.retry_after_max)
        delay = min(self.backoff_max, self.backoff_base * (2**attempt))
        return delay * self.jitter()

    def jitter(self) -> float:
        """Random factor in [0.5, 1.0] (its own method so tests can pin it)."""
        return 0.5 + random.random() / 2

    @staticmethod
    def parse_retry_after(value: str | None) -> float | None:
        """Parse `Retry-After` as seconds or an HTTP date (urllib3's parser)."""
        if not value:
            return None
        try:
            return max(0.0, float(Retry().parse_retry_after(value)))
        except Exception:  # noqa: BLE001 - an unparseable hint is ignored
            return None
