"""Which purpose a ticket serves: first matching ``ingest.purpose_rules`` entry, else default."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from plugin.vendors.contract import VendorTicket


def _wanted(value: Any) -> set[str]:
    values = [value] if isinstance(value, str) else list(value or [])
    return {str(v).strip().lower() for v in values}


def _matches(match: Mapping[str, Any], ticket: VendorTicket) -> bool:
    """Every key given in ``match`` must hold (tags: any of the listed tags)."""
    have = {
        "vendor": {ticket.vendor.lower()},
        "ticket_type": {ticket.ticket_type.lower()} if ticket.ticket_type else set(),
        "pipeline": {ticket.pipeline.lower()} if ticket.pipeline else set(),
        "tags": {t.lower() for t in ticket.tags},
    }
    return all(_wanted(match[key]) & have[key] for key in have if key in match)


def purpose_for(
    ticket: VendorTicket, rules: Iterable[Mapping[str, Any]], default: str = "support"
) -> str:
    """The purpose code of the first rule whose ``match`` fits the ticket."""
    for rule in rules:
        if _matches(rule.get("match") or {}, ticket):
            return str(rule["purpose"])
    return default
