"""Erasure (GDPR Art. 17): fan-out to every vendor, vault shredding, signed certificates."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Routes, and the handler that mirrors deletions made in a CRM (called by ingest)."""
    from plugin.erasure.mirror import handle_vendor_deletion
    from plugin.erasure.routes import bp
    from plugin.ingest.deletions import register_deletion_handler

    app.register_blueprint(bp)  # /api/subjects/<id>/erase, erasure-certificate
    register_deletion_handler(app, handle_vendor_deletion)
