"""Encrypted backups of the whole database and restores that keep erased people erased."""

from __future__ import annotations

from plugin.backup.service import (
    BackupError,
    CreateResult,
    OpenedBackup,
    RestoreResult,
    audit_backup,
    create_backup,
    open_backup,
    restore_backup,
)

__all__ = [
    "BackupError",
    "CreateResult",
    "OpenedBackup",
    "RestoreResult",
    "audit_backup",
    "create_backup",
    "open_backup",
    "restore_backup",
]
