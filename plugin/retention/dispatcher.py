"""Dispatchers: threads that claim outbox jobs, call the vendor and record the result."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models.types import utcnow
from plugin.retention import outbox
from plugin.retention.effects import apply, recheck
from plugin.retention.evidence import evidence_claims, sign
from plugin.retention.executor import JobFailed, execute
from plugin.retention.outbox import ClaimedJob
from plugin.retention.settings import RetentionSettings, retention_settings
from plugin.retention.vendors import adapters

log = logging.getLogger(__name__)


@dataclass
class DispatchStats:
    """Counts of what this dispatcher did (thread-safe increments via ``add``)."""

    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, key: str) -> None:
        """Count one outcome."""
        with self.lock:
            self.counts[key] += 1


class Dispatcher:
    """A pool of threads sharing this process's adapters (so one rate limiter per vendor)."""

    def __init__(self, app: Flask, threads: int | None = None) -> None:
        self.app = app
        self.settings: RetentionSettings = retention_settings(app)
        self.threads = threads or self.settings.threads
        self.stats = DispatchStats()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._prefix = f"{socket.gethostname()[:40]}:{os.getpid()}"

    # -- one job ------------------------------------------------------------------------
    def run_job(self, job: ClaimedJob, worker: str) -> str:
        """Execute a claimed job and record the outcome; returns the job's new status."""
        try:
            outcome = execute(job, adapters(self.app))
        except JobFailed as exc:
            status = outbox.mark_failed(job, worker, str(exc), exc.retryable, self.settings)
            self.stats.add(status)
            log.warning("outbox job failed", extra={"job": job.id, "status": status})
            return status
        now = utcnow()
        token = sign(
            evidence_claims(
                job_id=job.id,
                vendor=job.vendor,
                action=job.kind,
                object_ref=outcome.object_ref,
                at=now,
                result=outcome.result,
                reason=job.reason,
                rule=job.params.get("rule"),
            )
        )
        try:
            if not outbox.mark_done(job.id, worker, token):
                # Our lease ran out and another worker owns the job; its call will see 404.
                db.session.rollback()
                self.stats.add("lost")
                return "lost"
            apply(job, outcome, now)
            db.session.commit()
        except (sa.exc.SQLAlchemyError, ValueError) as exc:
            db.session.rollback()
            self.stats.add("error")
            log.error(
                "recording a job failed",
                extra={"job": job.id, "error": type(exc).__name__},
                exc_info=True,
            )
            outbox.mark_failed(
                job, worker, f"recording failed: {type(exc).__name__}", True, self.settings
            )
            return "pending"
        self.stats.add("done")
        return "done"

    def cycle(self, worker: str) -> int:
        """Claim a small batch and run it; returns how many jobs were claimed."""
        jobs = outbox.claim(worker, self.settings.claim_batch, self.settings, recheck)
        for job in jobs:
            self.run_job(job, worker)
        return len(jobs)

    # -- loops --------------------------------------------------------------------------
    def _loop(self, index: int, until_idle: bool, deadline: float | None) -> None:
        worker = f"{self._prefix}:{index}"
        with self.app.app_context():
            try:
                while not self._stop.is_set():
                    if deadline is not None and time.monotonic() > deadline:
                        return
                    try:
                        if self.cycle(worker):
                            continue
                    except sa.exc.SQLAlchemyError as exc:
                        # A lost connection or a deadlock victim: back off, then claim again.
                        db.session.rollback()
                        log.warning("claim failed", extra={"error": type(exc).__name__})
                    if until_idle and not self._waiting():
                        return
                    self._stop.wait(self.settings.idle_sleep)
            finally:
                db.session.remove()

    def _waiting(self) -> bool:
        """Whether jobs remain that a later cycle could run (backing off or leased)."""
        found = outbox.counts()
        db.session.rollback()
        return bool(found["pending"] or found["running"])

    def run_until_idle(self, timeout: float | None = None) -> DispatchStats:
        """Run every job to done or dead, waiting out backoffs, then return (or at timeout)."""
        deadline = time.monotonic() + timeout if timeout is not None else None
        threads = [
            threading.Thread(target=self._loop, args=(i, True, deadline), daemon=True)
            for i in range(self.threads)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.stats

    def start(self) -> None:
        """Run in background threads until ``stop`` (the worker and the scheduler use this)."""
        for i in range(self.threads):
            thread = threading.Thread(
                target=self._loop, args=(i, False, None), name=f"dispatch-{i}", daemon=True
            )
            thread.start()
            self._workers.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the threads to finish their current job and wait for them."""
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout)
        self._workers.clear()
