"""Admin console pages: login, requests, subjects, audit, consents (more: oversight, ropa_pages)."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from plugin import audit
from plugin.admin import data, request_words, subject_view
from plugin.admin.i18n import text
from plugin.admin.lang import page_lang, remember
from plugin.admin.session import admin_required, check_csrf, csrf_token, login, revoke
from plugin.alerts.rules import count_failed_signin
from plugin.audit.free_text import refusal
from plugin.auth.guard import Actor
from plugin.auth.tokens import TokenError
from plugin.extensions import db
from plugin.models.request import REQUEST_KINDS
from plugin.models.types import utcnow
from plugin.rights import export, lookup, rectify, requests, restrictions
from plugin.rights.errors import RightsError

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
MAX_TOKEN = 4096


@bp.errorhandler(HTTPException)
def _page_error(exc: HTTPException) -> ResponseReturnValue:
    # Pages answer with a page, not the API's JSON.
    return render_template("admin/error.html", error=exc), exc.code or 500


@bp.after_request
def _headers(response: Response) -> Response:
    remember(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    )
    return response


@bp.get("/login")
def login_form() -> ResponseReturnValue:
    """The login form: paste a token from `datavagt agents token --role dpo`."""
    return render_template("admin/login.html")


@bp.post("/login")
def login_submit() -> ResponseReturnValue:
    """Verify the pasted token and set the session cookie."""
    check_csrf()
    token = request.form.get("token", "").strip()
    try:
        if not token or len(token) > MAX_TOKEN:
            raise TokenError("paste a Datavagt token")
        actor = login(token)
    except TokenError as exc:
        count_failed_signin("admin_console")
        return render_template("admin/login.html", error=str(exc)), 401
    audit.record(audit.actions.LOGIN, actor=actor, details={"console": "admin"})
    db.session.commit()
    return redirect(url_for("admin.requests_page"))


@bp.post("/logout")
@admin_required
def logout(actor: Actor) -> ResponseReturnValue:
    """End the session, server-side too: a saved copy of the cookie no longer opens it."""
    revoke()
    session.clear()
    return redirect(url_for("admin.login_form"))


@bp.get("/")
@bp.get("/requests")
@admin_required
def requests_page(actor: Actor) -> ResponseReturnValue:
    """The requests queue with deadlines, overdue first, in Danish or English (?lang=)."""
    lang = page_lang()
    today = utcnow().date()
    rows = [
        request_words.describe(requests.serialise(r, today), lang, today)
        for r in requests.list_requests(today=today)
    ]
    rows.sort(key=lambda r: (r["status"] not in requests.OPEN, r["due_on"]))
    return render_template(
        "admin/requests.html",
        rows=rows,
        kinds=REQUEST_KINDS,
        reminders=requests.reminders(7, today),
        lang=lang,
        W=request_words.PAGE[lang],
        K=request_words.KINDS[lang],
        C=request_words.CHANNELS[lang],
    )


@bp.post("/requests")
@admin_required
def requests_action(actor: Actor) -> ResponseReturnValue:
    """Create a request or move one on."""
    form = request.form
    lang = page_lang()
    try:
        if form.get("action") == "create":
            received = form.get("received_on") or None
            requests.create(
                form.get("kind", ""),
                actor,
                subject_id=form.get("subject_id") or None,
                received_on=datetime.strptime(received, "%Y-%m-%d").date() if received else None,
                channel=form.get("channel", "email"),
            )
        elif refusal(form.get("reason")):
            flash(refusal(form.get("reason")) or "", "error")
        else:
            requests.apply(
                form.get("request_id", ""),
                form.get("action", ""),
                actor,
                int(form.get("months", "2") or 2),
                form.get("reason", ""),
            )
    except RightsError as exc:
        flash(request_words.error_text(exc.code, exc.message, lang), "error")
    except ValueError:
        flash(request_words.PAGE[lang]["bad_input"], "error")
    return redirect(url_for("admin.requests_page", lang=lang))


@bp.route("/subjects", methods=["GET", "POST"])
@admin_required
def subjects_page(actor: Actor) -> ResponseReturnValue:
    """Subject lookup (POST form: identifiers stay out of URLs)."""
    results = None
    if request.method == "POST":
        form = request.form
        try:
            found = lookup.find(
                form.get("email") or None, form.get("phone") or None, form.get("vendor_id") or None
            )
            results = [lookup.describe(s) for s in found]
        except RightsError as exc:
            flash(exc.message, "error")
    return render_template("admin/subjects.html", results=results)


@bp.get("/subjects/<subject_id>")
@admin_required
def subject_page(actor: Actor, subject_id: str) -> ResponseReturnValue:
    """The seven answers for one person, values masked until revealed with a reason."""
    document = export.build(subject_id)
    audit.record(
        audit.actions.VIEW, actor=actor, subject_id=subject_id, details={"page": "admin_subject"}
    )
    db.session.commit()
    return _subject(actor, document, _shown(actor, subject_id))


@bp.post("/subjects/<subject_id>/reveal")
@admin_required
def subject_reveal(actor: Actor, subject_id: str) -> ResponseReturnValue:
    """Reveal one value of the page with a reason (audited, as the widget's reveal)."""
    form = request.form
    document = export.build(subject_id)
    shown = _shown(actor, subject_id)
    kind = form.get("kind", "")
    try:
        item_id = int(form.get("item_id", ""))
    except ValueError:
        item_id = -1
    reason = form.get("reason", "")[:500]
    status = 200
    try:
        subject_view.reveal(shown, document, kind, item_id, reason)
        flash(text(page_lang())["revealed"], "ok")
    except subject_view.RevealRefused as exc:
        minimum = subject_view.get_policy().reason_min_length
        flash(text(page_lang())[exc.key].format(n=minimum), "error")
        status = {"reveal_denied": 403, "reveal_missing": 404, "reveal_erased": 410}.get(
            exc.key, 422
        )
    return _subject(actor, document, shown), status


def _shown(actor: Actor, subject_id: str) -> subject_view.Shown:
    return subject_view.Shown(actor, page_lang(), csrf_token(), subject_id)


def _subject(actor: Actor, document: dict, shown: subject_view.Shown) -> str:
    lang = page_lang()
    answers = export.render_answers(document, lang, shown)
    return render_template(
        "admin/subject.html",
        doc=document,
        answers=Markup(answers),  # noqa: S704 - rendered by our autoescaping template
        purposes=current_app.extensions["datavagt.manifest"].purposes,
        active=restrictions.active(document["subject_id"]),
        erasure=data.optional("plugin.erasure.service", "request_erasure") is not None,
        switch_path=url_for("admin.subject_page", subject_id=document["subject_id"]),
    )


@bp.get("/subjects/<subject_id>/export.<fmt>")
@admin_required
def subject_export(actor: Actor, subject_id: str, fmt: str) -> ResponseReturnValue:
    """Download the signed export (json) or its readable page (html)."""
    if fmt not in ("json", "html"):
        return render_template("admin/error.html", error=None), 404
    lang = page_lang()
    envelope = export.export(subject_id, actor, fmt, lang)
    if fmt == "html":
        body = export.render_html(envelope, lang)
        mimetype = "text/html"
    else:
        body, mimetype = export.to_json(envelope), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="export-{subject_id}.{fmt}"'
    return response


@bp.post("/subjects/<subject_id>/<action>")
@admin_required
def subject_action(actor: Actor, subject_id: str, action: str) -> ResponseReturnValue:
    """Rectify, restrict, lift or erase from the subject page."""
    form = request.form
    reason = form.get("reason", "")
    refused = refusal(reason)
    if refused:
        flash(refused, "error")
        return redirect(url_for("admin.subject_page", subject_id=subject_id))
    try:
        if action == "rectify":
            result = rectify.rectify(
                subject_id,
                form.get("new_value", ""),
                reason,
                actor,
                finding_id=int(form["finding_id"]) if form.get("finding_id") else None,
                identifier_id=int(form["identifier_id"]) if form.get("identifier_id") else None,
            )
            vendors = result.get("vendor_updated", result.get("vendors_updated"))
            flash(f"Corrected; vendor updated: {vendors}", "ok")
        elif action == "restrict":
            restrictions.restrict(
                subject_id, form.get("kind", ""), reason, actor, purpose=form.get("purpose") or None
            )
            flash("Flag set", "ok")
        elif action == "lift":
            restrictions.lift(int(form.get("restriction_id", "0")), reason, actor)
            flash("Flag lifted", "ok")
        elif action == "erase":
            _erase(subject_id, actor, reason)
        else:
            flash("Unknown action", "error")
    except (RightsError, ValueError) as exc:
        flash(getattr(exc, "message", "Invalid input"), "error")
    return redirect(url_for("admin.subject_page", subject_id=subject_id))


def _erase(subject_id: str, actor: Actor, reason: str) -> None:
    request_erasure = data.optional("plugin.erasure.service", "request_erasure")
    if request_erasure is None:
        flash("Erasure is not available in this installation yet", "error")
        return
    errors = data.optional("plugin.erasure.errors", "ErasureError") or RightsError
    try:
        request_erasure(
            subject_id,
            actor_id=actor.id,
            reason=reason or "Art. 17 request",
            role=actor.role or "dpo",
            source="admin",
        )
    except errors as exc:
        flash(getattr(exc, "message", "Erasure failed"), "error")
        return
    flash("Erasure requested: vendor jobs queued", "ok")


@bp.get("/audit")
@admin_required
def audit_page(actor: Actor) -> ResponseReturnValue:
    """Audit search by subject id, actor, action and date."""
    args = request.args
    since = None
    if args.get("since"):
        try:
            since = datetime.fromisoformat(args["since"])
        except ValueError:
            flash("since: expected a date such as 2026-01-31", "error")
    events = data.audit_search(
        args.get("subject", "")[:36],
        args.get("actor", "")[:128],
        args.get("action", "")[:48],
        since,
    )
    return render_template(
        "admin/audit.html", events=events, args=args, actions=sorted(audit.actions.ACTIONS)
    )


@bp.get("/consents")
@admin_required
def consents_page(actor: Actor) -> ResponseReturnValue:
    """Published consent wording, per purpose, language and version."""
    return render_template("admin/consents.html", texts=data.consent_texts())
