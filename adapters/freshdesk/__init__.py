"""Freshdesk adapter (API v2)."""

from __future__ import annotations

from adapters.freshdesk.adapter import FreshdeskAdapter

__all__ = ["FreshdeskAdapter"]
