"""Ingest settings from the manifest's ``ingest:`` section, with documented defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

DEFAULTS: dict[str, Any] = {
    "max_attempts": 8,
    "backoff_seconds": 5,
    "backoff_cap_seconds": 3600,
    "lease_seconds": 120,
    "batch_size": 20,
    "unwritable_retention_days": 30,
    "default_purpose": "support",
    "purpose_rules": [],
    "group_commit_max_events": 1000,
    "group_commit_max_wait_ms": 2.0,
    "group_commit_timeout_seconds": 20.0,
}


@dataclass(frozen=True)
class IngestSettings:
    """How the inbox retries and how tickets are mapped to purposes and retention."""

    max_attempts: int = 8
    backoff_seconds: float = 5
    backoff_cap_seconds: float = 3600
    lease_seconds: float = 120
    batch_size: int = 20
    unwritable_retention_days: int = 30
    default_purpose: str = "support"
    purpose_rules: list[dict[str, Any]] = field(default_factory=list)
    # Webhook group commit: events per transaction, how long the writer waits for more
    # after the first, and how long a request waits for its commit before answering 503.
    group_commit_max_events: int = 1000
    group_commit_max_wait_ms: float = 2.0
    group_commit_timeout_seconds: float = 20.0


def from_manifest_data(data: dict[str, Any]) -> IngestSettings:
    """Build settings from a loaded manifest mapping (missing keys take defaults)."""
    section = {**DEFAULTS, **(data.get("ingest") or {})}
    return IngestSettings(**{k: section[k] for k in DEFAULTS})


def ingest_settings() -> IngestSettings:
    """The current app's ingest settings."""
    return from_manifest_data(current_app.extensions["datavagt.manifest"].data)
