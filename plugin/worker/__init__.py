"""Background work: the APScheduler wiring of the manifest's jobs and the inbox job."""

from __future__ import annotations

from plugin.worker.scheduler import JOBS, build_scheduler, parse_schedule, start_for_server

__all__ = ["JOBS", "build_scheduler", "parse_schedule", "start_for_server"]
