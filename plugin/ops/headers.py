"""Security headers on every response: HSTS over TLS, a CSP on every HTML page.

Pages with their own policy (widget, portal, forms, console) keep it; any other HTML,
notably ``/static/...`` files Flask serves itself, gets one: the widget's policy under
``/static/widget/`` (the same page as ``/widget/``, framed only by the CRMs), else a policy
that allows nothing foreign and no framing.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

DEFAULT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def served_over_tls() -> bool:
    """The request arrived over HTTPS (directly, or as the public URL says)."""
    public = current_app.extensions["datavagt.settings"].public_url or ""
    return request.is_secure or public.startswith("https://")


def init_app(app: Flask) -> None:
    """Register the after-request hook."""

    @app.after_request
    def _headers(response: Response) -> Response:
        if served_over_tls():
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
            if request.path.startswith("/static/widget/"):
                from plugin.agents.widget import content_security_policy

                response.headers["Content-Security-Policy"] = content_security_policy()
            else:
                response.headers["Content-Security-Policy"] = DEFAULT_CSP
                response.headers.setdefault("X-Frame-Options", "DENY")
        return response
