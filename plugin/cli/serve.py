"""``datavagt serve``: the sidecar behind gunicorn."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from gunicorn.app.base import BaseApplication

from plugin import database
from plugin.cli.context import build_app, fail, require_files, require_keys
from plugin.extensions import db


class SidecarServer(BaseApplication):  # type: ignore[misc]
    """gunicorn serving an app built by ``create_app`` in each worker."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Each worker builds its own app (own pool, own scheduler lock attempt)."""
        from plugin.worker import start_for_server

        app = build_app()
        start_for_server(app)  # only the worker holding the scheduler lock starts it
        return app


def ensure_ready(app: Flask) -> None:
    """Refuse to serve an unreachable or unmigrated database, with one clear line."""
    with app.app_context():
        database.check_reachable(db.engine)
        current = database.current_revision(db.engine)
        head = database.head_revision()
        if current != head:
            fail(f"the database is at {current or 'base'}, not {head} — run `datavagt db upgrade`")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker (gthread): concurrent webhooks in a worker share one commit.",
)
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1, 3600))
def serve(host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    """Run the sidecar with gunicorn (production WSGI server)."""
    from plugin.config import ConfigError

    app = build_app({"create_files": False})  # only `datavagt db upgrade` creates files
    require_files(app)
    try:
        ensure_ready(app)
    except ConfigError as exc:
        fail(str(exc))
    require_keys(app)
    SidecarServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": timeout,
            # gunicorn's access log prints full URLs; ours logs route patterns only.
            "accesslog": None,
            "errorlog": "-",
        }
    ).run()
