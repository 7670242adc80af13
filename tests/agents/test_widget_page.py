"""/widget/: the static page and assets with a strict CSP; demo URLs carry no query token."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from plugin.agents.demo import widget_urls
from plugin.auth.tokens import verify_token


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/widget/", "text/html"),
        ("/widget/widget.js", "javascript"),
        ("/widget/i18n.js", "javascript"),
        ("/widget/widget.css", "text/css"),
    ],
)
def test_page_and_assets_have_a_strict_policy(app: Flask, path: str, kind: str) -> None:
    response = app.test_client().get(path)
    assert response.status_code == 200 and kind in response.content_type
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'self' https://*.freshdesk.com" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_asset_is_404(app: Flask) -> None:
    for path in ("/widget/index.htm", "/widget/..%2Fmanifest.yaml", "/widget/secret.txt"):
        assert app.test_client().get(path).status_code == 404


def test_frame_ancestors_setting(make_app: Callable[..., Flask]) -> None:
    app = make_app(widget_frame_ancestors=["https://crm.example.com"])
    csp = app.test_client().get("/widget/").headers["Content-Security-Policy"]
    assert csp.endswith("frame-ancestors https://crm.example.com")


def test_widget_urls_per_role(app: Flask) -> None:
    urls = widget_urls(app, "http://127.0.0.1:8000/", "hubspot", "77", lang="da")
    assert set(urls) == set(app.extensions["datavagt.manifest"].roles)
    for role, url in urls.items():
        parts = urlsplit(url)
        assert parts.path == "/widget/"
        assert parse_qs(parts.query) == {"vendor": ["hubspot"], "ticket": ["77"], "lang": ["da"]}
        assert parts.fragment.startswith("token=")
        claims = verify_token(app.extensions["datavagt.keyring"], parts.fragment[6:])
        assert claims["role"] == role and claims["vendor"] == "hubspot"
