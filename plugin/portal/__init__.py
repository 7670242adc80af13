"""My pages: the data subject's own portal (magic-link login, data, consents, messages)."""

from __future__ import annotations

from flask import Flask

from plugin.mail import init_app as init_mail


def init_app(app: Flask) -> None:
    """The mailer, the login rate limits and the two portal blueprints."""
    from plugin.portal import limits
    from plugin.portal.auth_routes import bp as auth_bp
    from plugin.portal.page_routes import bp as pages_bp

    init_mail(app)
    limits.init_app(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(pages_bp)
