"""Master-key epochs: rotate on a schedule, re-wrap in the background, destroy after retention.

The window, in plain words: a backup taken during epoch E carries its file key and every
data key wrapped under E or an older epoch. E is superseded at most ``key_epoch_days`` after
it started and destroyed ``backup_retention_days`` after that. So an erased person's data
key opens from no backup later than erasure + key_epoch_days + backup_retention_days.
An epoch key that a live data key still uses is never destroyed: re-wrapping catches up
first (the job logs an error while it blocks, and the window moves out by that delay).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from plugin.config import Settings
from plugin.keys.keyring import Keyring, KeyringError
from plugin.keys.provider import Epoch, KeyFileProvider, KeyProvider

log = logging.getLogger(__name__)
# Batches (of 500 data keys) re-wrapped per job run: bounded, the next run resumes.
REWRAP_BATCHES_PER_RUN = 20
# The job runs every 15 minutes (manifest); an hour covers a late or missed run.
JOB_SLACK = timedelta(hours=1)


@dataclass
class EpochRun:
    """What one run of the epoch job did (ids and counts only)."""

    rotated_to: str | None = None
    rewrapped: int = 0
    destroyed: list[str] = field(default_factory=list)
    blocked: dict[str, int] = field(default_factory=dict)  # epoch id -> live keys under it
    skipped: str | None = None

    def details(self) -> dict[str, Any]:
        return {
            "rotated_to": self.rotated_to,
            "rewrapped": self.rewrapped,
            "destroyed": self.destroyed,
            "blocked": self.blocked,
        }


def _utc(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def destruction_due_at(epoch: Epoch, settings: Settings) -> datetime:
    """When the epoch's key is to be destroyed: retention after the epoch's planned end.

    The planned end (start + key_epoch_days) counts even if the rotation ran a little late,
    so a late job never stretches the promised window.
    """
    end = epoch.created + timedelta(days=settings.key_epoch_days)
    if epoch.superseded_at is not None:
        end = min(end, epoch.superseded_at)
    return end + timedelta(days=settings.backup_retention_days)


def due_for_destruction(epoch: Epoch, settings: Settings, now: datetime) -> bool:
    """Superseded, not yet destroyed, and backup retention has passed since."""
    if epoch.destroyed or epoch.superseded_at is None:
        return False
    return destruction_due_at(epoch, settings) <= now


def run_epochs(
    settings: Settings,
    provider: KeyProvider,
    live_keys_under: Any,
    rewrap: Any,
    now: datetime | None = None,
) -> EpochRun:
    """One pass: rotate if the epoch is old, re-wrap a bounded share, destroy what is due.

    ``live_keys_under(epoch_id) -> int`` and ``rewrap() -> int`` come from the vault, so this
    module needs no database access of its own.
    """
    now = _utc(now)
    run = EpochRun()
    if not provider.supports_epochs:
        run.skipped = "DATAVAGT_MASTER_KEY is set: no epochs, backups are not time-limited"
        return run
    epochs = provider.list_epochs()
    active = epochs[-1]
    if active.created + timedelta(days=settings.key_epoch_days) <= now:
        new = provider.create_epoch(now, if_active=active.id)
        run.rotated_to = new if new != active.id else None
        epochs = provider.list_epochs()
    run.rewrapped = rewrap()
    for epoch in epochs[:-1]:
        if not due_for_destruction(epoch, settings, now):
            continue
        live = live_keys_under(epoch.id)
        if live:
            # Never destroy a key live data needs: the erasure window waits for re-wrapping.
            run.blocked[epoch.id] = live
            log.error(
                "epoch key destruction blocked: live data keys still wrapped under it",
                extra={"epoch": epoch.id, "live_keys": live},
            )
            continue
        provider.destroy_epoch(epoch.id, now)
        run.destroyed.append(epoch.id)
    return run


def _epochs_from_file(settings: Settings) -> list[Epoch]:
    if not settings.key_file.exists():
        return []
    try:
        return KeyFileProvider(Keyring(settings.key_file)).list_epochs()
    except (KeyringError, OSError):
        return []


def backup_window_end(
    erased_at: datetime, settings: Settings, now: datetime | None = None
) -> datetime | None:
    """The latest time an erased person's data key can still be opened from a backup.

    erasure time + up to one epoch (the one running at the erasure ends) + the backup
    retention + JOB_SLACK. When the key file shows an epoch of that time destroyed later
    (a live key blocked it), that time counts; one overdue and still alive counts as not
    before ``now`` + JOB_SLACK. None with DATAVAGT_MASTER_KEY: one fixed key and no
    epochs, so no date can be promised.
    """
    if settings.master_key:
        return None
    now = _utc(now)
    erased_at = _utc(erased_at)
    days = settings.key_epoch_days + settings.backup_retention_days
    bound = erased_at + timedelta(days=days) + JOB_SLACK
    for epoch in _epochs_from_file(settings):
        if epoch.created > erased_at:
            continue  # backups of later epochs never held the person's key
        if epoch.destroyed_at is not None:
            bound = max(bound, epoch.destroyed_at)
        elif destruction_due_at(epoch, settings) < now:
            bound = max(bound, now + JOB_SLACK)  # overdue: blocked, not yet destroyed
    return bound
