"""``/forms/<name>``: the embeddable page (GET) and its submission (POST)."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from plugin.consent import service as consents
from plugin.consent.seed import ensure_seeded
from plugin.errors import ApiError
from plugin.forms import csrf
from plugin.forms.definition import FormDefinition, load_forms
from plugin.forms.i18n import UI, pick_language
from plugin.forms.intake import Submission
from plugin.forms.intake import submit as submit_form
from plugin.forms.notice import build_notice
from plugin.forms.ratelimit import MinuteLimiter
from plugin.forms.validation import FormInvalid, validate_submission

bp = Blueprint("forms", __name__, url_prefix="/forms", template_folder="templates")
FORMS = "datavagt.forms"
LIMITER = "datavagt.forms.limiter"
DEFAULT_RATE_LIMIT = 10  # submissions per IP hash per minute
MAX_CONSENT_IDS = 20


def init_app(app: Flask) -> None:
    """Load and check the manifest's forms (a bad one stops start-up), register the routes."""
    settings = app.extensions["datavagt.settings"]
    app.extensions[FORMS] = load_forms(app.extensions["datavagt.manifest"])
    limit = int(settings.extra.get("forms_rate_limit", DEFAULT_RATE_LIMIT))
    app.extensions[LIMITER] = MinuteLimiter(limit)
    app.register_blueprint(bp)


def _form(name: str) -> FormDefinition:
    form = current_app.extensions[FORMS].get(name)
    if form is None:
        raise ApiError(404, "unknown_form", "No such form")
    return form


def _security_headers(response: Response) -> Response:
    ancestors = current_app.extensions["datavagt.settings"].extra.get(
        "forms_frame_ancestors", "'self'"
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        f"form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<name>")
def page(name: str) -> ResponseReturnValue:
    """The form page with the current wording of each consent, in Danish or English."""
    form = _form(name)
    ensure_seeded(current_app._get_current_object())  # type: ignore[attr-defined]
    lang = pick_language(request)
    shown = []
    for box in form.consents:
        text = consents.current_text(box.purpose, lang) or consents.current_text(
            box.purpose, "en" if lang == "da" else "da"
        )
        if text is not None:
            shown.append({"box": box, "text": text})
    cookie, token = csrf.issue(form.name)
    ui = UI[lang]
    adapters = current_app.extensions.get("datavagt.adapters", {})
    vendor = form.vendor or next(iter(sorted(adapters)), None)
    notice = build_notice(current_app.extensions["datavagt.manifest"], form, vendor, lang)
    html = render_template(
        "forms/form.html",
        form=form,
        lang=lang,
        other_lang="en" if lang == "da" else "da",
        ui=ui,
        consents=shown,
        notice=notice,
        csrf_token=token,
        messages_json=json.dumps({k: v for k, v in ui.items() if k.startswith("error_")}),
    )
    response = Response(html, mimetype="text/html")
    # Embedded in another site's iframe the cookie must be SameSite=None, which needs HTTPS.
    cross_site = request.is_secure
    response.set_cookie(
        csrf.COOKIE,
        cookie,
        max_age=csrf.MAX_AGE,
        path="/forms",
        httponly=True,
        secure=cross_site,
        samesite="None" if cross_site else "Lax",
    )
    return _security_headers(response)


def _ids(values: list[str], field: str) -> tuple[int, ...]:
    if len(values) > MAX_CONSENT_IDS or not all(v.isdigit() and len(v) < 10 for v in values):
        raise ApiError(422, "validation_failed", f"{field} must be consent text ids")
    return tuple(dict.fromkeys(int(v) for v in values))


@bp.post("/<name>")
def submit(name: str) -> ResponseReturnValue:
    """Validate, minimise, create the vendor ticket, vault originals, record consents."""
    form = _form(name)
    ip_key = consents.hash_ip(request.remote_addr) or "unknown"
    wait = current_app.extensions[LIMITER].hit(ip_key)
    if wait is not None:
        response = jsonify({"error": {"code": "rate_limited", "message": "Too many submissions"}})
        response.headers["Retry-After"] = str(int(wait))
        return response, 429
    values = request.form.to_dict(flat=False)
    try:
        csrf.check(form.name, request.cookies.get(csrf.COOKIE), (values.get(csrf.FIELD) or [""])[0])
    except csrf.CsrfError as exc:
        raise ApiError(
            403, "csrf_failed", "The form's security token is missing or invalid"
        ) from exc
    try:
        clean = validate_submission(form, values)
    except FormInvalid as exc:
        first = next(iter(exc.problems))
        raise ApiError(
            422,
            "validation_failed",
            f"field {first!r}: {exc.problems[first]}",
            {"fields": exc.problems},
        ) from exc
    lang = (values.get("lang") or ["da"])[0]
    ensure_seeded(current_app._get_current_object())  # type: ignore[attr-defined]
    result = submit_form(
        Submission(
            form=form,
            values=clean,
            shown=_ids(values.get("consent_shown", []), "consent_shown"),
            given=_ids(values.get("consent_given", []), "consent_given"),
            lang=lang if lang in UI else "da",
            ip=request.remote_addr,
            user_agent=request.user_agent.string or None,
        )
    )
    return jsonify(result), 201
