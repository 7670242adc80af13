"""The one failure of an identity exchange; its message is safe to return (401)."""

from __future__ import annotations


class ExchangeError(Exception):
    """The vendor's proof of identity was missing, stale, forged or not configured."""
