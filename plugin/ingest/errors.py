"""Error text safe to store on an inbox row: type and a message free of personal data."""

from __future__ import annotations

from plugin.vault.errors import VaultError
from plugin.vendors.errors import AdapterConfigError, AdapterError, UnknownAdapterError

MAX_ERROR = 500
# Messages of these types are written by us and carry ids only, never values.
_SAFE_MESSAGES: tuple[type[BaseException], ...] = (
    AdapterError,
    AdapterConfigError,
    UnknownAdapterError,
    VaultError,
)


class IngestError(Exception):
    """Processing an event cannot go on; the message names ids only."""


class EventParked(Exception):
    """The event must wait for a person (e.g. a legal hold): parked at once, not retried.

    The message is the reason shown to the DPO with the event; it names ids only.
    """


def safe_error(exc: BaseException) -> str:
    """``Type: message`` for our own error types, else only the type name."""
    name = type(exc).__name__
    if isinstance(exc, (*_SAFE_MESSAGES, IngestError, EventParked)):
        return f"{name}: {exc}"[:MAX_ERROR]
    return name
