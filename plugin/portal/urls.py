"""The base URL put in e-mails: configured, never taken from an outside request's Host."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

log = logging.getLogger(__name__)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def base_url() -> str | None:
    """``portal_url`` or ``public_url`` from settings; on a loopback host, the request's own.

    A link built from the Host header would let anyone who can send a request with a forged
    Host receive a victim's magic link; outside loopback we refuse and log instead.
    """
    settings = current_app.extensions["datavagt.settings"]
    configured = settings.extra.get("portal_url") or settings.public_url
    if configured:
        return str(configured).rstrip("/")
    if has_request_context() and (urlsplit(request.url_root).hostname or "") in LOOPBACK:
        return request.url_root.rstrip("/")
    log.warning("portal links need DATAVAGT_PUBLIC_URL; no e-mail link was sent")
    return None
