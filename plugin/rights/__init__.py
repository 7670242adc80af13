"""Data-subject rights: lookup, merge/split, access export, rectification, restriction, requests."""

from __future__ import annotations
