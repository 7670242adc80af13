"""Vendor webhooks: authenticate, normalise and store in the durable inbox."""

from __future__ import annotations

from flask import Flask

from plugin.webhooks.routes import bp


def register(app: Flask) -> None:
    """Register the webhook blueprint once."""
    if bp.name not in app.blueprints:
        app.register_blueprint(bp)


__all__ = ["bp", "register"]
