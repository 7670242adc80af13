"""Console pages on the live modules: compliance report, retention preview, outbox queues."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from plugin.admin import data
from plugin.admin.jobs import JobError, retry_dead_job
from plugin.admin.lang import page_lang
from plugin.admin.routes import bp
from plugin.admin.session import ADMIN_ROLE, admin_required
from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.compliance import report
from plugin.extensions import db


def _lang() -> str:
    return page_lang()


@bp.get("/erasure")
@admin_required
def erasure_page(actor: Actor) -> ResponseReturnValue:
    """Pending deletion jobs and dead letters."""
    return render_template("admin/erasure.html", queue=data.erasure_queue())


@bp.get("/subjects/<subject_id>/erasure")
@admin_required
def subject_erasure_page(actor: Actor, subject_id: str) -> ResponseReturnValue:
    """Before: the erasure's scope and what Art. 17(3) keeps; after: the certificate's truth."""
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.service import preview_erasure
    from plugin.erasure.views import truth

    lang = _lang()
    try:
        shown = truth(subject_id, lang)
        scope = preview_erasure(subject_id) if shown["planned"] else None
    except ErasureError:
        return render_template("admin/error.html", error=NotFound()), 404
    return render_template(
        "admin/subject_erasure.html", subject_id=subject_id, truth=shown, scope=scope, lang=lang
    )


@bp.post("/subjects/<subject_id>/erasure/verify")
@admin_required
def subject_erasure_verify(actor: Actor, subject_id: str) -> ResponseReturnValue:
    """Ask every vendor again what it still holds of an erased person (``erasure verify``)
    and show it per case and store, in words; audited. CSRF-checked by admin_required."""
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.views import truth, verification

    manifest = current_app.extensions["datavagt.manifest"]
    if ADMIN_ROLE not in manifest.implied_roles(actor.role or ""):
        return render_template("admin/error.html", error=None), 403
    lang = _lang()
    try:
        shown = truth(subject_id, lang)
    except ErasureError:
        return render_template("admin/error.html", error=NotFound()), 404
    status = 200
    try:
        checked = verification(subject_id, lang)
    except ErasureError as exc:
        if exc.status == 404:
            return render_template("admin/error.html", error=NotFound()), 404
        checked, status = None, 409
        flash(shown["words"]["verify_not_erased"], "error")
    else:
        record(
            actions.ADMIN_ACTION,
            actor=actor,
            subject_id=subject_id,
            details={
                "operation": "erasure_verify",
                "console": "admin",
                "objects": checked["objects"],
                "problems": checked["problems"],
                "ok": checked["ok"],
            },
        )
        db.session.commit()
    page = render_template(
        "admin/subject_erasure.html",
        subject_id=subject_id,
        truth=shown,
        scope=None,
        lang=lang,
        verification=checked,
    )
    return page, status


@bp.get("/compliance")
@admin_required
def compliance_page(actor: Actor) -> ResponseReturnValue:
    """The compliance report (Art. 9, withdrawn consents, plain e-mail) and finding flags."""
    return render_template("admin/compliance.html", report=report(), flags=data.finding_flags())


@bp.get("/retention")
@admin_required
def retention_page(actor: Actor) -> ResponseReturnValue:
    """What a sweep would do now (retention's dry run) and the dead-lettered jobs."""
    return render_template(
        "admin/retention.html", preview=data.retention_preview(), dead=data.dead_jobs()
    )


@bp.post("/retention/jobs/<int:job_id>/retry")
@admin_required
def retry_job(actor: Actor, job_id: int) -> ResponseReturnValue:
    """Requeue a dead job (CSRF-checked by admin_required; audited by the service)."""
    try:
        retry_dead_job(job_id, actor)
        flash(f"Job {job_id} queued again", "ok")
    except JobError as exc:
        flash(exc.message, "error")
    return redirect(url_for("admin.retention_page"))
