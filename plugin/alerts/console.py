"""Console page of the alerts: what was raised, where it was delivered, acknowledge."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from plugin.admin.lang import page_lang
from plugin.admin.routes import bp
from plugin.admin.session import admin_required
from plugin.alerts import i18n, service
from plugin.auth.guard import Actor
from plugin.extensions import db


def open_alerts() -> int:
    """The nav badge: unacknowledged alerts."""
    return service.open_count()


@bp.get("/alerts")
@admin_required
def alerts_page(actor: Actor) -> ResponseReturnValue:
    """Every alert, open ones first in the badge."""
    lang = page_lang()
    return render_template(
        "admin/alerts.html",
        P=i18n.PAGE[lang],
        lang=lang,
        alerts=[service.as_dict(a, lang) for a in service.list_alerts()],
    )


@bp.post("/alerts/<alert_id>/ack")
@admin_required
def alerts_ack(actor: Actor, alert_id: str) -> ResponseReturnValue:
    """Acknowledge one alert (audited)."""
    lang = page_lang()
    try:
        service.acknowledge(alert_id, actor)
    except service.AlertError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.alerts_page", lang=lang))
    db.session.commit()
    flash(i18n.PAGE[lang]["acked"], "ok")
    return redirect(url_for("admin.alerts_page", lang=lang))
