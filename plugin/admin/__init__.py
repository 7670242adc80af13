"""The admin console: server-rendered pages for the DPO (no build step)."""

from __future__ import annotations

from flask import Flask

from plugin.admin.session import csrf_token, init_session


def init_app(app: Flask) -> None:
    """Session cookie settings, the blueprint and the template helpers."""
    from plugin.admin import (
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
    app.jinja_env.globals.setdefault("csrf_token", csrf_token)
    app.jinja_env.globals.setdefault("open_alerts", _alerts.open_alerts)
