"""Retention tunables, read from the YAML config or overrides (``settings.extra``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask import Flask

from plugin.config import ConfigError


@dataclass(frozen=True)
class RetentionSettings:
    """Documented defaults suit production; tests shorten backoffs and leases."""

    chunk: int = 500  # tickets per sweep query and per commit
    threads: int = 4  # dispatcher threads per process
    claim_batch: int = 8  # jobs a thread claims at once (one re-check query set per batch)
    lease_seconds: float = 300.0  # longer than one vendor call with all its retries
    max_attempts: int = 6  # then the job is dead-lettered
    backoff_base: float = 30.0  # seconds before the second attempt; doubles each time
    backoff_max: float = 3600.0
    idle_sleep: float = 2.0  # dispatcher pause when the queue is empty
    sweep_dispatch_seconds: float = 3600.0  # how long a scheduled run executes jobs at most


def retention_settings(app: Flask) -> RetentionSettings:
    """Read ``retention_<name>`` keys; a bad value is a clear ConfigError."""
    cached = app.extensions.get("datavagt.retention.settings")
    if cached is not None:
        return cached
    extra: dict[str, Any] = app.extensions["datavagt.settings"].extra
    values: dict[str, Any] = {}
    for spec in fields(RetentionSettings):
        key = f"retention_{spec.name}"
        if key not in extra:
            continue
        kind = int if spec.type in ("int", int) else float
        try:
            value = kind(extra[key])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{key}: expected a number") from exc
        if value < (1 if kind is int else 0):
            raise ConfigError(f"{key}: must be positive")
        values[spec.name] = value
    result = RetentionSettings(**values)
    app.extensions["datavagt.retention.settings"] = result
    return result
