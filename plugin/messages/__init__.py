"""Secure messages instead of plain e-mail, and the check of agents' outgoing replies."""

from __future__ import annotations
