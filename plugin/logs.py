"""Structured JSON logs carrying a request id; bodies and values are never logged."""

from __future__ import annotations

import logging
import re
import secrets
import sys

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-Id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds the current request id (or '-') to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate the record; never drops it."""
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(level: str) -> None:
    """JSON lines on stderr for the whole process (idempotent)."""
    root = logging.getLogger()
    if any(getattr(h, "_datavagt", False) for h in root.handlers):
        root.setLevel(level)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
    )
    handler.addFilter(RequestIdFilter())
    handler._datavagt = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # werkzeug's access log prints full URLs; ours below logs the route pattern instead.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # Alembic narrates every step at INFO; operators need only its warnings.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # "skipped: maximum number of running instances" is by design (max_instances=1); our
    # job wrapper logs real failures itself.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


def init_app(app: Flask) -> None:
    """Give every request an id (kept from a safe incoming header) and log its outcome."""
    access = logging.getLogger("datavagt.access")

    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else secrets.token_hex(8)

    @app.after_request
    def _log_request(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "-")
        # The rule pattern, not the path: paths may hold ids, query strings may hold e-mails.
        rule = request.url_rule.rule if request.url_rule else "<unmatched>"
        access.info(
            "request",
            extra={"method": request.method, "route": rule, "status": response.status_code},
        )
        return response
