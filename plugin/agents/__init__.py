"""The agent side: ticket view and reveal API, identity exchange, the widget page."""

from __future__ import annotations

from flask import Flask

from plugin.access.mapping import EXTENSION as MAPPING_EXTENSION
from plugin.access.mapping import load_mapping
from plugin.access.policy import EXTENSION as POLICY_EXTENSION
from plugin.access.policy import Policy
from plugin.agents import cors
from plugin.agents.exchange.routes import bp as exchange_bp
from plugin.agents.routes import bp as tickets_bp
from plugin.agents.widget import bp as widget_bp


def init_app(app: Flask) -> None:
    """Build policy and agent mapping (bad settings stop start-up) and register the routes."""
    manifest = app.extensions["datavagt.manifest"]
    settings = app.extensions["datavagt.settings"]
    app.extensions[POLICY_EXTENSION] = Policy.from_manifest(manifest)
    app.extensions[MAPPING_EXTENSION] = load_mapping(
        manifest.data.get("agent_mapping") or {},
        settings.extra.get("agent_mapping"),
        manifest.roles,
    )
    cors.init_app(app)
    app.register_blueprint(tickets_bp)
    app.register_blueprint(exchange_bp)
    app.register_blueprint(widget_bp)
