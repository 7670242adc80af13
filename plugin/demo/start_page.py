"""The demo's start page: roles, customers, forms and the mail viewer behind one short URL.

Registered only by ``datavagt demo``. The page carries no agent or portal token: each link
goes through a route here that mints a fresh one when clicked (a widget token in the URL
fragment, a portal sign-in link), so the page keeps working after the 15-minute links of
the portal have expired. The page's path holds a random secret, so only whoever has the URL
the demo printed can open it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Blueprint, Flask, abort, redirect, render_template
from flask.typing import ResponseReturnValue

from plugin.agents.demo import widget_urls
from plugin.auth.tokens import issue_token
from plugin.portal.demo import login_url

TOKEN_TTL = timedelta(hours=12)
LINK = re.compile(r"https?://[^\s<>\"]+")
VENDOR_NAMES = {"freshdesk": "Freshdesk", "hubspot": "HubSpot", "dynamics": "Dynamics 365"}
OPERATIONS = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/.well-known/jwks.json")


@dataclass
class StartPage:
    """What the page lists; filled in by the demo once its data is in."""

    secret: str = field(default_factory=lambda: secrets.token_urlsafe(6))
    tickets: dict[str, str] = field(default_factory=dict)  # vendor -> ticket the links open
    customers: list[dict[str, str | bool]] = field(default_factory=list)  # name, email, erased
    environment: str = ""  # the export line for the CLI

    @property
    def path(self) -> str:
        """The page's path, e.g. ``/demo/Xy12ab34/``."""
        return f"/demo/{self.secret}/"


def register(app: Flask, page: StartPage) -> None:
    """Add the start page, its link-minting routes and the mail viewer to ``app``."""
    bp = Blueprint("demo", __name__, url_prefix=f"/demo/{page.secret}", template_folder="templates")

    def base() -> str:
        from flask import request

        return request.url_root.rstrip("/")

    @bp.get("/")
    def start() -> ResponseReturnValue:
        """The start page."""
        roles = list(app.extensions["datavagt.manifest"].roles)
        dpo_token = issue_token(
            app.extensions["datavagt.keyring"], agent="demo-dpo", role="dpo", ttl=TOKEN_TTL
        )
        return render_template(
            "demo/start.html",
            page=page,
            roles=roles,
            forms=list(app.extensions["datavagt.manifest"].data.get("forms", {})),
            dpo_token=dpo_token,
            operations=OPERATIONS,
            mails=len(_sink(app).messages()),
            vendor_names=VENDOR_NAMES,
        )

    @bp.get("/widget/<vendor>/<role>")
    def widget(vendor: str, role: str) -> ResponseReturnValue:
        """The agent widget on the demo ticket of ``vendor`` as ``role``, with a fresh token."""
        ticket = page.tickets.get(vendor)
        if ticket is None or role not in app.extensions["datavagt.manifest"].roles:
            abort(404)
        urls = widget_urls(app, base(), vendor, ticket, ttl=TOKEN_TTL)
        return redirect(urls[role], code=303)

    @bp.get("/portal/<int:number>")
    def portal(number: int) -> ResponseReturnValue:
        """A fresh sign-in link to My pages for customer ``number`` (as the mail would hold)."""
        if not 0 <= number < len(page.customers) or page.customers[number]["erased"]:
            abort(404)
        try:
            url = login_url(app, base(), str(page.customers[number]["email"]))
        except LookupError:
            abort(404)
        return redirect(url, code=303)

    @bp.get("/mail")
    def mail() -> ResponseReturnValue:
        """Every message the demo "sent", newest first, with its links clickable."""
        messages = [{"mail": m, "links": LINK.findall(m.text)} for m in _sink(app).messages()]
        return render_template("demo/mail.html", page=page, messages=messages)

    @bp.after_request
    def _no_store(response):  # type: ignore[no-untyped-def]
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    app.register_blueprint(bp)


def _sink(app: Flask):  # type: ignore[no-untyped-def]
    from plugin.mail import init_app as init_mail

    sink = init_mail(app).sink
    if sink is None:
        abort(404)
    return sink
