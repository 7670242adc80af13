"""A route's contract: body parsing, response schema and documented errors, in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from marshmallow import Schema, ValidationError

from plugin.errors import ApiError
from plugin.json_input import JsonInputError, loads

F = TypeVar("F", bound=Callable[..., Any])


def documented(
    *,
    summary: str,
    tags: list[str],
    body: type[Schema] | dict[str, Any] | None = None,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    many: bool = False,
    errors: tuple[int, ...] = (),
    auth: str | None = None,
    status: int = 200,
) -> Callable[[F], F]:
    """Attach OpenAPI metadata to a view; ``/openapi.json`` is built from it.

    ``body`` is a marshmallow schema, or a JSON Schema dict for bodies a vendor defines.
    """

    def mark(view: F) -> F:
        view.__api__ = {  # type: ignore[attr-defined]
            "summary": summary,
            "tags": tags,
            "body": body,
            "query": query,
            "response": response,
            "many": many,
            "errors": errors,
            "auth": auth,
            "status": status,
        }
        return view

    return mark


def load_json(schema: Schema) -> Any:
    """Parse the JSON body with ``schema``: 400 when not JSON, 422 with field errors."""
    if not request.is_json:
        raise ApiError(400, "malformed_json", "The request body must be a JSON document")
    try:
        payload = loads(request.get_data(cache=True))
    except JsonInputError as exc:
        raise ApiError(
            400, "malformed_json", f"The request body must be a JSON document: {exc}"
        ) from exc
    try:
        return schema.load(payload)
    except ValidationError as exc:
        raise ApiError(
            422, "validation_failed", "The request body is invalid", {"fields": exc.messages}
        ) from exc


def load_query(schema: Schema) -> Any:
    """Parse query parameters with ``schema``; 422 with field errors."""
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(
            422, "validation_failed", "The query parameters are invalid", {"fields": exc.messages}
        ) from exc
