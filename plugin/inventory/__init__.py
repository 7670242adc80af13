"""Inventory: per subject and ticket, what was collected, why, on which basis, until when."""

from __future__ import annotations

from plugin.inventory.inventory import inventory_for_subject, inventory_for_ticket
from plugin.inventory.purpose import purpose_for
from plugin.inventory.retention import retention_deadline

__all__ = ["inventory_for_subject", "inventory_for_ticket", "purpose_for", "retention_deadline"]
