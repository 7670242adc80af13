"""Deliver simulated vendor webhooks from a background thread, retrying like the vendor."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

log = logging.getLogger(__name__)

# attempt number -> (url, headers, body)
Delivery = Callable[[int], tuple[str, dict[str, str], bytes]]


@dataclass(frozen=True)
class DeliveryPolicy:
    """When the vendor retries: on which statuses (None = any failure), how often."""

    max_attempts: int = 1
    retry_statuses: frozenset[int] | None = None
    retry_on_connection_error: bool = True
    delay: float = 0.05


@dataclass
class DeliveryRecord:
    """One attempt as the vendor made it."""

    url: str
    attempt: int
    status: int | None
    error: str | None = None
    body: bytes = field(default=b"", repr=False)


class WebhookSender:
    """A queue of deliveries served by one daemon thread."""

    def __init__(self, policy: DeliveryPolicy, timeout: float = 5.0) -> None:
        self.policy = policy
        self.timeout = timeout
        self.records: list[DeliveryRecord] = []
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._session = requests.Session()
        self._thread = threading.Thread(target=self._run, name="sim-webhooks", daemon=True)
        self._thread.start()

    def submit(self, delivery: Delivery) -> None:
        """Queue a delivery."""
        self._queue.put(delivery)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery has finished; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self) -> None:
        """Stop the thread after the queue drains."""
        self._queue.put(None)
        self._thread.join(timeout=5)
        self._session.close()

    def _run(self) -> None:
        while True:
            delivery = self._queue.get()
            try:
                if delivery is None:
                    return
                self._deliver(delivery)
            finally:
                self._queue.task_done()

    def _deliver(self, delivery: Delivery) -> None:
        for attempt in range(self.policy.max_attempts):
            url, headers, body = delivery(attempt)
            try:
                response = self._session.post(url, data=body, headers=headers, timeout=self.timeout)
            except requests.RequestException as exc:
                self.records.append(DeliveryRecord(url, attempt, None, type(exc).__name__, body))
                if not self.policy.retry_on_connection_error:
                    return
            else:
                status = response.status_code
                self.records.append(DeliveryRecord(url, attempt, status, None, body))
                if status < 300:
                    return
                statuses = self.policy.retry_statuses
                if statuses is not None and status not in statuses:
                    return
            time.sleep(self.policy.delay * (2**attempt))
        log.info("simulated webhook gave up after %d attempts", self.policy.max_attempts)
