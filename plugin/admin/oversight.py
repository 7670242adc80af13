"""Console pages on the live modules: compliance report, retention preview, outbox queues."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from plugin.admin import data
from plugin.admin.jobs import JobError, retry_dead_job
from plugin.admin.routes import bp
from plugin.admin.session import admin_required
from plugin.auth.guard import Actor
from plugin.compliance import report


@bp.get("/erasure")
@admin_required
def erasure_page(actor: Actor) -> ResponseReturnValue:
    """Pending deletion jobs and dead letters."""
    return render_template("admin/erasure.html", queue=data.erasure_queue())


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
