"""Identity fixtures: the erasure app on the Freshdesk simulator."""

from __future__ import annotations

from tests.erasure.conftest import erasure_app, freshdesk

__all__ = ["erasure_app", "freshdesk"]
