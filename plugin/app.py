"""The Flask application factory: it only wires subsystems together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from plugin import database, errors, logs
from plugin.admin import init_app as init_admin
from plugin.agents import init_app as init_agents
from plugin.alerts.routes import bp as alerts_bp
from plugin.audit.routes import bp as audit_bp
from plugin.breach.routes import bp as breach_bp
from plugin.compliance.routes import bp as compliance_bp
from plugin.config import ROOT, Settings, load_settings
from plugin.consent.routes import bp as consents_bp
from plugin.dpia.routes import bp as dpia_bp
from plugin.erasure import init_app as init_erasure
from plugin.forms.routes import init_app as init_forms
from plugin.keys import Keyring
from plugin.manifest import load_manifest
from plugin.messages.routes import bp as messages_bp
from plugin.ops import headers, metrics
from plugin.ops.routes import bp as ops_bp
from plugin.portal import init_app as init_portal
from plugin.processors.routes import bp as processors_bp
from plugin.retention.budget import share_budgets
from plugin.retention.routes import bp as retention_bp
from plugin.rights.request_routes import bp as requests_bp
from plugin.rights.routes import bp as rights_bp
from plugin.ropa.routes import bp as ropa_bp
from plugin.vendors import registry
from plugin.vendors.contract import Adapter
from plugin.vendors.errors import UnknownAdapterError
from plugin.webhooks import register as register_webhooks


def load_vendor_adapters(depends: list[str], settings: Settings) -> dict[str, Adapter]:
    """Build the configured adapters among ``depends``; unknown names stop start-up."""
    installed = registry.available()
    for name in depends:
        if name not in installed:
            raise UnknownAdapterError(
                f"manifest depends on {name!r}, but no installed adapter provides it "
                f"(installed: {', '.join(sorted(installed)) or 'none'})"
            )
    return {
        name: registry.build(name, settings.vendor(name))
        for name in depends
        if registry.is_enabled(settings.vendor(name))
    }


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build a sidecar app; ``config`` overrides environment and YAML settings."""
    # 1. Settings and the manifest: a bad one stops start-up with a clear message.
    settings = load_settings(config)
    manifest = load_manifest(settings.manifest)

    app = Flask("datavagt", static_folder=str(ROOT / "static"), static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.extensions["datavagt.settings"] = settings
    app.extensions["datavagt.manifest"] = manifest

    # 2. Logs first so every later step can report; then errors, metrics, database.
    logs.configure_logging(settings.log_level)
    logs.init_app(app)
    errors.init_app(app)
    metrics.init_app(app)
    headers.init_app(app)  # HSTS over TLS, a CSP on every HTML response
    database.init_app(app)

    # 3. Keys: created 0600 on first run.
    # (``create_files: False``, the CLI's read commands: a missing file is named on first use.)
    app.extensions["datavagt.keyring"] = Keyring(
        settings.key_file,
        settings.master_key,
        create=bool(settings.extra.get("create_files", True)),
    )

    # 4. Vendor adapters, through entry points: every vendor the manifest depends on must be
    #    installed; the configured ones are built.
    app.extensions["datavagt.adapters"] = load_vendor_adapters(manifest.data["depends"], settings)
    with app.app_context():  # replicas on one PostgreSQL share each vendor's rate budget
        share_budgets(app, app.extensions["datavagt.adapters"])

    # 5. Routes.
    app.register_blueprint(ops_bp)
    register_webhooks(app)  # POST /webhooks/<vendor> -> durable inbox
    init_agents(app)  # /api/tickets, /auth/exchange, /widget/
    app.register_blueprint(consents_bp)
    init_forms(app)  # /forms/<name> public intake forms
    app.register_blueprint(compliance_bp)  # /api/compliance
    app.register_blueprint(audit_bp)
    app.register_blueprint(rights_bp)
    app.register_blueprint(requests_bp)
    app.register_blueprint(ropa_bp)
    app.register_blueprint(breach_bp)  # /api/breaches (Art. 33/34 register)
    app.register_blueprint(processors_bp)  # /api/processors (Art. 28 register)
    app.register_blueprint(dpia_bp)  # /api/dpias (Art. 35 impact assessments)
    app.register_blueprint(alerts_bp)  # /api/alerts (watch rules, acknowledgement)
    app.register_blueprint(retention_bp)  # /api/retention (preview, jobs, holds)
    init_erasure(app)  # /api/subjects/<id>/erase, certificates; mirrors CRM deletions
    init_admin(app)  # /admin/ console (session cookie keyed from the keyring)
    app.register_blueprint(messages_bp)  # /api/messages, /api/outbound/check (agents)
    init_portal(app)  # /portal/ My pages (magic-link login, server-side sessions), SMTP mailer
    return app
