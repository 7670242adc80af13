"""Dispatchers: threads that claim outbox jobs, call the vendor and record the result."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import Ticket
from plugin.models.types import utcnow
from plugin.retention import outbox
from plugin.retention.effects import apply, recheck
from plugin.retention.evidence import evidence_claims, sign
from plugin.retention.executor import JobFailed, Outcome, execute
from plugin.retention.outbox import ClaimedJob
from plugin.retention.settings import RetentionSettings, retention_settings
from plugin.retention.vendors import adapters

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finished:
    """A vendor call that succeeded, waiting to be recorded."""

    job: ClaimedJob
    outcome: Outcome
    at: datetime
    evidence: str


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

    # -- jobs -------------------------------------------------------------------------
    def call(self, job: ClaimedJob, worker: str) -> Finished | None:
        """Make the job's vendor call; a failure is recorded at once (backoff or dead)."""
        try:
            outcome = execute(job, adapters(self.app))
        except JobFailed as exc:
            status = outbox.mark_failed(job, worker, str(exc), exc.retryable, self.settings)
            self.stats.add(status)
            log.warning("outbox job failed", extra={"job": job.id, "status": status})
            return None
        now = utcnow()
        claims = evidence_claims(
            job_id=job.id,
            vendor=job.vendor,
            action=job.kind,
            object_ref=outcome.object_ref,
            at=now,
            result=outcome.result,
            reason=job.reason,
            rule=job.params.get("rule"),
            stores=outcome.stores,
        )
        return Finished(job, outcome, now, sign(claims))

    def record(self, finished: list[Finished], worker: str) -> None:
        """Record results: job done + ticket + audit + evidence, one transaction per batch."""
        if not finished:
            return
        try:
            done = self._record(finished, worker)
            db.session.commit()
        except (sa.exc.SQLAlchemyError, ValueError) as exc:
            db.session.rollback()
            if len(finished) > 1:  # find the one that fails: record the others one by one
                for item in finished:
                    self.record([item], worker)
                return
            self.stats.add("error")
            log.error(
                "recording a job failed",
                extra={"job": finished[0].job.id, "error": type(exc).__name__},
            )
            outbox.mark_failed(
                finished[0].job,
                worker,
                f"recording failed: {type(exc).__name__}",
                True,
                self.settings,
            )
            return
        for status in done:
            self.stats.add(status)

    def _record(self, finished: list[Finished], worker: str) -> list[str]:
        # One query loads every ticket of the batch into the session's identity map.
        ids = [item.job.ticket_id for item in finished if item.job.ticket_id is not None]
        if ids:
            list(db.session.scalars(sa.select(Ticket).where(Ticket.id.in_(ids))))
        statuses = []
        audits = []
        for item in finished:
            if outbox.mark_done(item.job.id, worker, item.evidence):
                audits.append(apply(item.job, item.outcome, item.at))
                statuses.append("done")
            else:
                # Our lease ran out and another worker owns the job; its call will see 404.
                statuses.append("lost")
        for write in audits:
            write()
        return statuses

    def run_job(self, job: ClaimedJob, worker: str) -> None:
        """Execute one claimed job and record its outcome."""
        finished = self.call(job, worker)
        self.record([finished] if finished else [], worker)

    def cycle(self, worker: str) -> int:
        """Claim a small batch, call the vendor for each, record them; returns the count."""
        jobs = outbox.claim(worker, self.settings.claim_batch, self.settings, recheck)
        finished = [item for item in (self.call(job, worker) for job in jobs) if item]
        self.record(finished, worker)
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
