"""The tamper-evident audit trail: ``record`` is the write API every capability calls."""

from __future__ import annotations

from plugin.audit import actions
from plugin.audit.recorder import record

__all__ = ["actions", "record"]
