"""Console pages of the breach register: list and record form, one incident with drafts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from plugin.admin.lang import page_lang
from plugin.admin.routes import bp
from plugin.admin.session import admin_required
from plugin.auth.guard import Actor
from plugin.breach import drafts, service
from plugin.breach.i18n import PAGE
from plugin.breach.routes import BreachCreateSchema
from plugin.extensions import db
from plugin.manifest import CATEGORIES
from plugin.ropa.i18n import word


@bp.get("/breaches")
@admin_required
def breaches_page(actor: Actor) -> ResponseReturnValue:
    """The register with each incident's clock, and the form to record one."""
    lang = page_lang()
    return render_template(
        "admin/breaches.html",
        P=PAGE[lang],
        lang=lang,
        breaches=[service.as_dict(b) for b in service.list_all()],
        categories=[(c, word(lang, c)) for c in CATEGORIES],
    )


@bp.post("/breaches")
@admin_required
def breaches_record(actor: Actor) -> ResponseReturnValue:
    """Record an incident from the form (counts from the live inventory)."""
    lang = page_lang()
    form = request.form
    data = {
        "title": form.get("title", "")[:300],
        "description": form.get("description", "")[:20000],
        "categories": [c for c in form.getlist("categories") if c in CATEGORIES],
        "consequences": form.get("consequences", "")[:20000],
        "measures": form.get("measures", "")[:20000],
        "high_risk": form.get("high_risk") == "on",
    }
    errors = BreachCreateSchema().validate(data)
    if errors:
        flash(f"{PAGE[lang]['invalid']}: {', '.join(sorted(errors))}", "error")
        return redirect(url_for("admin.breaches_page", lang=lang))
    breach = service.record(BreachCreateSchema().load(data), actor)
    db.session.commit()
    return redirect(url_for("admin.breach_page", breach_id=breach.id, lang=lang))


@bp.get("/breaches/<breach_id>")
@admin_required
def breach_page(actor: Actor, breach_id: str) -> ResponseReturnValue:
    """One incident: clock, counts, both drafts, the next status steps."""
    lang = page_lang()
    try:
        breach = service.get(breach_id)
    except service.BreachError:
        abort(404, description="No such incident")
    manifest = current_app.extensions["datavagt.manifest"]
    due = service.deadline(breach).isoformat()
    return render_template(
        "admin/breach.html",
        P=PAGE[lang],
        lang=lang,
        b=service.as_dict(breach),
        authority=drafts.authority(breach, due, manifest, lang),
        subjects=drafts.subjects(breach, manifest, lang),
        steps=service.TRANSITIONS[breach.status],
    )


@bp.post("/breaches/<breach_id>/status")
@admin_required
def breach_status(actor: Actor, breach_id: str) -> ResponseReturnValue:
    """Move the incident to the next status (audited)."""
    lang = page_lang()
    try:
        breach = service.get(breach_id)
        service.update(breach, {"status": request.form.get("status", "")[:16]}, actor)
    except service.BreachError as exc:
        if exc.status == 404:
            abort(404, description="No such incident")
        flash(str(exc), "error")
        return redirect(url_for("admin.breach_page", breach_id=breach_id[:36], lang=lang))
    db.session.commit()
    return redirect(url_for("admin.breach_page", breach_id=breach.id, lang=lang))


@bp.post("/breaches/<breach_id>/notify-subjects")
@admin_required
def breach_notify_subjects(actor: Actor, breach_id: str) -> ResponseReturnValue:
    """Send the Art. 34 message to the affected persons' My pages (once, audited)."""
    from plugin.messages.service import mail_notices

    lang = page_lang()
    try:
        breach = service.get(breach_id)
        addresses = service.notify_subjects(
            breach, actor, current_app.extensions["datavagt.manifest"]
        )
    except service.BreachError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404, description="No such incident")
        flash(str(exc), "error")
        return redirect(url_for("admin.breach_page", breach_id=breach_id[:36], lang=lang))
    db.session.commit()
    mail_notices(addresses)
    flash(PAGE[lang]["subjects_sent"].format(count=breach.subjects_notified), "ok")
    return redirect(url_for("admin.breach_page", breach_id=breach.id, lang=lang))
