"""Reuse the ingest fixtures (simulators and an app configured against them)."""

from __future__ import annotations

from tests.ingest.conftest import ingest_app, sims

__all__ = ["ingest_app", "sims"]
