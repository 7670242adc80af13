"""Small request-size limits for agent endpoints (the app-wide limit is much larger)."""

from __future__ import annotations

from flask import current_app, request

from plugin.errors import ApiError

AGENT_BODY_LIMIT = 16 * 1024


def limit_body(limit: int = AGENT_BODY_LIMIT) -> None:
    """413 before reading a body larger than ``limit`` (declared or streamed)."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "payload_too_large", f"The request body must be under {limit} bytes")
    # Bodies without Content-Length (chunked) are cut off by werkzeug at this size.
    request.max_content_length = min(limit, current_app.config.get("MAX_CONTENT_LENGTH") or limit)
