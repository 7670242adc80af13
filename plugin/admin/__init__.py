"""The admin console: server-rendered pages for the DPO (no build step)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from plugin.admin.session import csrf_token, init_session


def init_app(app: Flask) -> None:
    """Session cookie settings, the blueprint and the template helpers."""
    from plugin.admin import (
        landing,
        oversight,  # noqa: F401 - its views join the console's blueprint
        ropa_pages,  # noqa: F401 - likewise
    )
    from plugin.admin.routes import bp
    from plugin.alerts import console as _alerts  # noqa: F401 - alerts and acknowledgement
    from plugin.breach import console  # noqa: F401 - the breach register's pages
    from plugin.dpia import console as _dpia  # noqa: F401 - Art. 35 impact assessments
    from plugin.processors import console as _processors  # noqa: F401 - the Art. 28 register

    init_session(app, bp.url_prefix or "/")
    app.register_blueprint(bp)
    landing.init_app(app)
    app.jinja_env.globals.setdefault("csrf_token", csrf_token)
    app.jinja_env.globals.setdefault("open_alerts", _alerts.open_alerts)
    _words(app)


def _words(app: Flask) -> None:
    """Template helpers: ``L`` (page texts), ``|words``, ``|status(vendor)``, ``|when``."""
    from plugin.admin import i18n
    from plugin.admin.lang import page_lang

    app.jinja_env.globals.setdefault("console_lang", page_lang)
    app.jinja_env.globals.setdefault("console_text", lambda: i18n.text(page_lang()))
    app.jinja_env.filters.setdefault("words", lambda code: i18n.word(code, page_lang()))
    app.jinja_env.filters.setdefault(
        "status", lambda value, vendor=None: i18n.status(vendor, value, page_lang())
    )
    app.jinja_env.filters.setdefault("when", lambda value: i18n.when(value, page_lang()))

    def person(actor_id: Any) -> str:
        from plugin.admin.people import display_name

        return display_name(actor_id)

    def purpose(code: Any) -> str:
        from flask import current_app

        purposes = current_app.extensions["datavagt.manifest"].purposes
        name = (purposes.get(code) or {}).get("name") if code else None
        return i18n.purpose_name(code, name, page_lang())

    def role(code: Any) -> str:
        from plugin.alerts.i18n import role_name

        return role_name(str(code or ""), page_lang())

    app.jinja_env.filters.setdefault("person", person)
    app.jinja_env.filters.setdefault("purpose_name", purpose)
    app.jinja_env.filters.setdefault("role_name", role)
    app.jinja_env.filters.setdefault("case_ref", lambda ref: i18n.case_ref(ref, page_lang()))
