"""CORS for the routes a CRM page calls from its own origin: the exchange and the agent API.

Only the origins in ``DATAVAGT_CRM_ORIGINS`` get ``Access-Control-Allow-Origin`` (echoed
exactly, never ``*``, never ``null``); everyone else gets no CORS header, so their browser
keeps the answer from them. No ``Access-Control-Allow-Credentials``: these routes take a
bearer token or a signed body, never a cookie, so a browser must not send one.

Preflights (``OPTIONS`` with ``Access-Control-Request-Method``) are answered here, before
any route guard, with 204; the browser then sends the real request. Rules from the Fetch
standard's CORS protocol (fetch.spec.whatwg.org/#http-cors-protocol) and MDN's CORS guide.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

PREFIXES = ("/auth/exchange/", "/api/tickets/")
ALLOW_METHODS = "GET, POST"
ALLOW_HEADERS = "Authorization, Content-Type"
MAX_AGE = "600"


def _covered() -> bool:
    return request.path.startswith(PREFIXES)


def _allowed_origin() -> str | None:
    origin = request.headers.get("Origin")
    allowed = current_app.extensions["datavagt.settings"].crm_origins
    return origin if origin and origin in allowed else None


def init_app(app: Flask) -> None:
    """Register the preflight answer and the response header hook."""

    @app.before_request
    def _preflight() -> Response | None:
        if request.method != "OPTIONS" or not _covered():
            return None
        if "Access-Control-Request-Method" not in request.headers:
            return None  # a plain OPTIONS: Flask's own answer
        response = current_app.response_class(status=204)
        origin = _allowed_origin()
        if origin is not None:
            response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response.headers["Access-Control-Max-Age"] = MAX_AGE
        return response

    @app.after_request
    def _cors(response: Response) -> Response:
        if not _covered():
            return response
        response.vary.add("Origin")  # caches must not hand one origin's answer to another
        origin = _allowed_origin()
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
        return response
