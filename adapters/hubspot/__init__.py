"""HubSpot adapter (CRM v3/v4)."""

from __future__ import annotations

from adapters.hubspot.adapter import HubSpotAdapter

__all__ = ["HubSpotAdapter"]
