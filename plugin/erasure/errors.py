"""Errors of the erasure subsystem; messages are safe to show and free of personal data."""

from __future__ import annotations


class ErasureError(Exception):
    """An erasure that cannot be done (now); ``status`` is the HTTP answer for the API."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
