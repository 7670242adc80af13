"""A sidecar app with all three vendors configured and the webhook blueprint registered."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from plugin.webhooks import register

PUBLIC_URL = "https://sidecar.example.com"
VENDORS = {
    "freshdesk": {
        "base_url": "http://127.0.0.1:9",
        "api_key": "k",
        "webhook_user": "datavagt",
        "webhook_password": "pw-1",
    },
    "hubspot": {"base_url": "http://127.0.0.1:9", "token": "t", "client_secret": "hs-secret"},
    "dynamics": {
        "org_url": "http://127.0.0.1:9",
        "tenant_id": "tenant",
        "client_id": "client",
        "client_secret": "secret",
        "authority_url": "http://127.0.0.1:9",
        "webhook_key": "dyn-key",
    },
}


@pytest.fixture
def webhook_app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The sidecar behind a public URL, vendors on (their APIs are never called here)."""
    app = make_app(public_url=PUBLIC_URL, **VENDORS)
    register(app)
    with app.app_context():
        yield app
