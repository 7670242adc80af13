"""The HubSpot simulator's answers: timestamps, JSON bodies and HubSpot's error shape."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Response


def now() -> str:
    """An ISO 8601 timestamp in milliseconds, as HubSpot writes them."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return Response(json.dumps(body), status, mimetype="application/json")


def error(status: int, message: str, category: str, **extra: Any) -> Response:
    """`{"status": "error", "message", "correlationId", "category", ...}`."""
    body = {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
        **extra,
    }
    return json_response(body, status)
