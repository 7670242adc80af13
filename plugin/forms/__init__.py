"""Public intake forms: definitions, CSRF, rate limits, minimised submission to the vendor."""

from __future__ import annotations
