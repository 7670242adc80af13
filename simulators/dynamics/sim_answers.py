"""How the Dataverse simulator answers: JSON bodies, the error shape, timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Response


def now() -> str:
    """The current time as Dataverse writes it (ISO 8601, UTC, seconds)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_response(body: Any, status: int = 200, **headers: str) -> Response:
    """A JSON answer."""
    return Response(json.dumps(body), status, mimetype="application/json", headers=headers)


def error(status: int, code: str, message: str) -> Response:
    """`{"error": {"code": "0x...", "message": ...}}` with the status."""
    return json_response({"error": {"code": code, "message": message}}, status)
