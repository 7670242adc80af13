"""Console tests reuse the rights fixtures: simulators, an app wired to them, a seeded person."""

from __future__ import annotations

from tests.rights.conftest import person, sims, vendor_app

__all__ = ["person", "sims", "vendor_app"]
