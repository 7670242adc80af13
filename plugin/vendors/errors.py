"""Errors raised by vendor adapters; messages never carry personal data."""

from __future__ import annotations

from typing import Any


class AdapterError(Exception):
    """A vendor call failed; carries status, retryability and the vendor's request id."""

    def __init__(
        self,
        vendor: str,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        request_id: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        response: Any = None,
    ) -> None:
        super().__init__(message)
        self.vendor = vendor
        self.message = message
        self.status = status
        self.retryable = retryable
        self.request_id = request_id
        self.code = code
        self.headers = dict(headers or {})
        self.response = response  # kept for diagnosis; never rendered into the message

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        rid = f" [request {self.request_id}]" if self.request_id else ""
        return f"{self.vendor}: {self.message}{status}{rid}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(vendor={self.vendor!r}, status={self.status!r}, "
            f"code={self.code!r}, retryable={self.retryable!r}, request_id={self.request_id!r})"
        )


class NotFound(AdapterError):
    """The record does not exist (404); for deletions this means the work is done.

    ``stores`` may name copies the vendor still keeps though the record is gone (e.g. a
    ticket already in Trash), as ``{store, state, reason, until}`` entries.
    """

    stores: tuple[dict[str, str], ...] = ()


class CredentialsError(AdapterError):
    """The vendor rejected our credentials or permissions (401/403); never retried."""


class RateLimited(AdapterError):
    """The vendor kept answering 429 after every retry."""


class AdapterConfigError(Exception):
    """An adapter's settings are incomplete or invalid."""


class UnknownAdapterError(LookupError):
    """No installed entry point provides an adapter of that name."""


class WebhookAuthError(Exception):
    """A webhook call is unauthenticated, tampered with or stale."""


class WebhookPayloadError(ValueError):
    """A webhook body does not have a shape the vendor sends."""
