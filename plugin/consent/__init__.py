"""Consent: immutable wording, consents given and withdrawn, signed receipts."""

from __future__ import annotations
