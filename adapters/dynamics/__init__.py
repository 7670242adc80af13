"""Dynamics 365 Customer Service adapter (Dataverse Web API)."""

from __future__ import annotations

from adapters.dynamics.adapter import DynamicsAdapter

__all__ = ["DynamicsAdapter"]
