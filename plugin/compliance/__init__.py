"""Compliance checks: Art. 9 data without a basis, consent-based processing after withdrawal."""

from __future__ import annotations

from plugin.compliance.report import report

__all__ = ["report"]
