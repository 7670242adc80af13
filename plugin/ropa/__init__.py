"""Record of processing activities (Art. 30), generated from the manifest and live data."""

from __future__ import annotations

from plugin.ropa.builder import build_ropa

__all__ = ["build_ropa"]
