"""One JSON error shape for every failure: ``{"error": {"code", "message"}}``."""

from __future__ import annotations

import logging
import traceback

import sqlalchemy.exc as sa_exc
from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a view raises on purpose; its message is safe to show."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


def error_response(status: int, code: str, message: str, **details: object) -> ResponseReturnValue:
    """The JSON body and status every error answer uses."""
    body: dict[str, object] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return jsonify({"error": body}), status


def _http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def init_app(app: Flask) -> None:
    """Register handlers so no failure answers with HTML or a stack trace."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> ResponseReturnValue:
        return error_response(exc.status, exc.code, exc.message, **exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        # werkzeug's descriptions are generic text, never request data.
        response = error_response(exc.code or 500, _http_code(exc), exc.description or "")
        if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            body, status = response  # type: ignore[misc]
            body.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
            return body, status
        return response

    @app.errorhandler(sa_exc.DataError)
    def _data_error(exc: sa_exc.DataError) -> ResponseReturnValue:
        # SQLSTATE class 22 ("data exception"): a value the database cannot hold (a number
        # out of range, a malformed id). It came from the request; the transaction is void.
        from plugin.extensions import db

        db.session.rollback()
        log.info("request value refused by the database", extra={"error_type": "DataError"})
        return error_response(422, "invalid_value", "A value in the request is out of range")

    @app.before_request
    def _no_nul() -> ResponseReturnValue | None:
        # PostgreSQL text cannot hold NUL; no field of ours needs it (JSON bodies: json_input).
        query = request.query_string
        if "\x00" in request.path or b"%00" in query or b"\x00" in query:
            return error_response(400, "invalid_value", "NUL characters are not accepted")
        return None

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        # Only the exception type is logged: messages may quote personal data.
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f"{frame.filename}:{frame.lineno}" if frame else "-"
        log.error("unhandled error", extra={"error_type": type(exc).__name__, "where": where})
        return error_response(500, "internal_error", "Internal error; see the request id in logs")
