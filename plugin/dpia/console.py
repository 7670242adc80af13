"""Console pages of the DPIA workspace: list and new draft, one assessment to edit and sign."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from plugin.admin.lang import page_lang
from plugin.admin.routes import bp
from plugin.admin.session import admin_required
from plugin.auth.guard import Actor
from plugin.dpia import draft, service
from plugin.dpia.i18n import words
from plugin.dpia.routes import DpiaUpdateSchema
from plugin.extensions import db


def _get(dpia_id: str) -> service.Dpia:
    try:
        return service.get(dpia_id)
    except service.DpiaError:
        abort(404, description="No such impact assessment")


def _back(dpia_id: str, lang: str) -> ResponseReturnValue:
    return redirect(url_for("admin.dpia_page", dpia_id=dpia_id, lang=lang))


@bp.get("/dpia")
@admin_required
def dpias_page(actor: Actor) -> ResponseReturnValue:
    """Every assessment and the form that starts a draft."""
    lang = page_lang()
    return render_template(
        "admin/dpias.html",
        W=words(lang),
        lang=lang,
        rows=[service.as_dict(d) for d in service.list_all()],
    )


@bp.post("/dpia")
@admin_required
def dpias_create(actor: Actor) -> ResponseReturnValue:
    """A new draft from the live inventory."""
    lang = page_lang()
    title = request.form.get("title", "").strip()[:200]
    if not title:
        flash(words(lang)["draft_title"] + "?", "error")
        return redirect(url_for("admin.dpias_page", lang=lang))
    dpia = service.create(title, actor)
    db.session.commit()
    return _back(dpia.id, lang)


@bp.get("/dpia/<dpia_id>")
@admin_required
def dpia_page(actor: Actor, dpia_id: str) -> ResponseReturnValue:
    """One assessment: screening, scope, risks and measures, advice, sign-off."""
    lang = page_lang()
    return render_template(
        "admin/dpia.html",
        W=words(lang),
        lang=lang,
        d=service.as_dict(_get(dpia_id)),
        criteria=draft.CRITERIA,
        levels=draft.LEVELS,
        measures=service.MEASURES,
    )


def _form_changes(dpia: service.Dpia) -> dict:
    """The edit form as the API's PATCH body (validated by the same schema)."""
    form = request.form
    risks = []
    for index, risk in enumerate(dpia.risks):
        prefix = f"risk-{index}-"
        risks.append(
            {
                "key": risk["key"],
                "description": risk.get("description", ""),
                "likelihood": form.get(prefix + "likelihood", risk["likelihood"]),
                "severity": form.get(prefix + "severity", risk["severity"]),
                "measures": form.getlist(prefix + "measures"),
                "extra_measures": form.get(prefix + "extra_measures", "")[:2000],
                "residual": form.get(prefix + "residual") or None,
            }
        )
    new = form.get("new_risk", "").strip()[:2000]
    if new:
        risks.append(
            {"key": "custom", "description": new, "likelihood": "medium", "severity": "medium"}
        )
    return {
        "criteria": {code: form.get("criterion-" + code) == "on" for code in draft.CRITERIA},
        "risks": risks,
        "necessity": form.get("necessity", "")[:20000],
        "dpo_advice": form.get("dpo_advice", "")[:20000],
    }


@bp.post("/dpia/<dpia_id>")
@admin_required
def dpia_save(actor: Actor, dpia_id: str) -> ResponseReturnValue:
    """Save the edit form of a draft (audited)."""
    lang = page_lang()
    dpia = _get(dpia_id)
    try:
        changes = DpiaUpdateSchema().load(_form_changes(dpia))
        service.update(dpia, changes, actor)
    except ValidationError as exc:
        flash(", ".join(sorted(exc.messages)), "error")
        return _back(dpia.id, lang)
    except service.DpiaError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(dpia.id, lang)
    db.session.commit()
    flash(words(lang)["saved"], "ok")
    return _back(dpia.id, lang)


@bp.post("/dpia/<dpia_id>/sign-off")
@admin_required
def dpia_sign_off(actor: Actor, dpia_id: str) -> ResponseReturnValue:
    """Sign off (the page lists what is missing when it cannot be)."""
    lang = page_lang()
    dpia = _get(dpia_id)
    try:
        service.sign_off(dpia, actor)
    except service.DpiaError as exc:
        db.session.rollback()
        gaps = ", ".join(words(lang)[code] for code in exc.missing)
        flash(f"{words(lang)['missing']}: {gaps}" if gaps else exc.message, "error")
        return _back(dpia.id, lang)
    db.session.commit()
    flash(words(lang)["signed"], "ok")
    return _back(dpia.id, lang)


@bp.post("/dpia/<dpia_id>/revise")
@admin_required
def dpia_revise(actor: Actor, dpia_id: str) -> ResponseReturnValue:
    """A new draft from a signed-off assessment."""
    lang = page_lang()
    try:
        new = service.revise(_get(dpia_id), actor)
    except service.DpiaError as exc:
        flash(exc.message, "error")
        return _back(dpia_id[:36], lang)
    db.session.commit()
    return _back(new.id, lang)


@bp.get("/dpia/<dpia_id>/export")
@admin_required
def dpia_export(actor: Actor, dpia_id: str) -> ResponseReturnValue:
    """Download the signed file."""
    try:
        document = service.export(_get(dpia_id))
    except service.DpiaError as exc:
        flash(exc.message, "error")
        return _back(dpia_id[:36], page_lang())
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="dpia-{dpia_id[:36]}.json"'},
    )
