"""Demo helper: one widget URL per role, each with a freshly minted token in the fragment."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from flask import Flask

from plugin.auth.tokens import issue_token

DEMO_TTL = timedelta(hours=1)


def widget_urls(
    app: Flask,
    base_url: str,
    vendor: str,
    ticket_id: str,
    *,
    lang: str | None = None,
    ttl: timedelta = DEMO_TTL,
) -> dict[str, str]:
    """Role -> ``{base}/widget/?vendor=..&ticket=..#token=..`` (never a token in the query)."""
    keyring = app.extensions["datavagt.keyring"]
    query = {"vendor": vendor, "ticket": ticket_id}
    if lang:
        query["lang"] = lang
    urls: dict[str, str] = {}
    for role in app.extensions["datavagt.manifest"].roles:
        token = issue_token(keyring, agent=f"demo-{role}", role=role, vendor=vendor, ttl=ttl)
        urls[role] = f"{base_url.rstrip('/')}/widget/?{urlencode(query)}#token={token}"
    return urls
