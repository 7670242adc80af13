"""``/widget/``: the agent widget page and its assets, served with a strict CSP."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory

from plugin.config import ROOT

bp = Blueprint("agent_widget", __name__, url_prefix="/widget")
WIDGET_DIR = ROOT / "static" / "widget"
ASSETS = frozenset({"widget.js", "widget.css", "i18n.js", "favicon.svg", "secure.js"})
# The CRM UIs that may frame the widget; the YAML setting ``widget_frame_ancestors`` replaces it.
DEFAULT_FRAME_ANCESTORS = (
    "'self'",
    "https://*.freshdesk.com",
    "https://*.freshworks.com",
    "https://app.hubspot.com",
    "https://app-eu1.hubspot.com",
    "https://*.dynamics.com",
)


def content_security_policy() -> str:
    """Only our own script, style and API; no inline code, no plug-ins, no forms elsewhere."""
    extra = current_app.extensions["datavagt.settings"].extra.get("widget_frame_ancestors")
    ancestors = " ".join(extra) if isinstance(extra, list) else " ".join(DEFAULT_FRAME_ANCESTORS)
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; "
        f"frame-ancestors {ancestors}"
    )


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def page() -> Response:
    """The widget page; its token arrives in the URL fragment or by postMessage."""
    return _secure(send_from_directory(WIDGET_DIR, "index.html"))


@bp.get("/<name>")
def asset(name: str) -> Response:
    """The widget's own script and style sheet."""
    if name not in ASSETS:
        return _secure(Response("Not found\n", 404, mimetype="text/plain"))
    return _secure(send_from_directory(WIDGET_DIR, name))
