"""Datavagt: the GDPR sidecar core (Flask app, models, services, API, CLI)."""

from __future__ import annotations

__version__ = "0.1.0"
