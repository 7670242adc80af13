"""Alert fixtures: a real SMTP server, a webhook receiver, an app that delivers to both."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.agents.helpers import custom_manifest
from tests.portal.mailbox import Mailbox, SmtpServer

THRESHOLDS = {
    "default": {"reveals": 50, "exports": 20, "window_seconds": 3600},
    "team_lead": {"reveals": 50, "exports": 10, "window_seconds": 60},
}


class Webhook:
    """An incoming-webhook receiver; ``status`` is what it answers."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.hits = 0
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                outer.hits += 1
                if outer.status == 200:
                    outer.bodies.append(json.loads(self.rfile.read(length)))
                else:
                    self.rfile.read(length)
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.close()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with SmtpServer(Mailbox()) as box:
        yield box


@pytest.fixture
def alert_app(
    make_app: Callable[..., Flask], mailbox: Mailbox, webhook: Webhook, tmp_path: Path
) -> Iterator[Flask]:
    """An app whose alerts go to the local SMTP server and webhook."""
    manifest = custom_manifest(
        tmp_path,
        alerts={
            "thresholds": THRESHOLDS,
            "failed_signins": {"count": 20, "window_seconds": 600},
            "throttle_minutes": 15,
            "email": ["dpo@example.com", "vagt@example.com"],
        },
    )
    app = make_app(
        manifest=manifest,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        smtp_from="alarm@example.com",
        alert_webhook_url=webhook.url,
        public_url="https://datavagt.example",
    )
    with app.app_context():
        yield app
