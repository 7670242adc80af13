"""The front page at ``/`` (instead of a bare 404) and the favicon."""

from __future__ import annotations

from flask import Flask, Response, render_template, request, send_from_directory
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from plugin.admin.i18n import text
from plugin.admin.lang import page_lang, remember
from plugin.errors import error_response


def init_app(app: Flask) -> None:
    """Register ``/`` and ``/favicon.ico`` on the app (outside the console's prefix)."""
    static = app.static_folder or "static"

    @app.get("/")
    def landing() -> ResponseReturnValue:
        """What Datavagt is, and where each reader goes next, in Danish or English."""
        lang = page_lang()
        response = Response(
            render_template("admin/landing.html", L=text(lang), lang=lang), mimetype="text/html"
        )
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
        )
        return remember(response)

    @app.get("/favicon.ico")
    def favicon() -> ResponseReturnValue:
        """The shield the widget uses, for browsers that ask for /favicon.ico."""
        response = send_from_directory(static, "widget/favicon.svg", mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    console_not_found(app)


def console_not_found(app: Flask) -> None:
    """A page in words for unknown console paths; elsewhere the API's JSON answer stays."""

    def _not_found(exc: NotFound) -> ResponseReturnValue:
        if request.path == "/admin" or request.path.startswith("/admin/"):
            response = Response(
                render_template("admin/error.html", error=exc), status=404, mimetype="text/html"
            )
            response.headers["Cache-Control"] = "no-store"
            return remember(response)
        return error_response(404, "not_found", exc.description or "")

    app.register_error_handler(NotFound, _not_found)
