"""Errors of the rights services; messages name ids only, never personal data."""

from __future__ import annotations

from plugin.errors import ApiError


class RightsError(ApiError):
    """A rights operation that cannot be done; routes answer with its status, the CLI exits 1."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, code, message)


def not_found(what: str = "subject") -> RightsError:
    """The usual 404 for an unknown id."""
    return RightsError(404, "not_found", f"No such {what}")
