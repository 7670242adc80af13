"""My pages for a signed-in person: data, consents, requests, secure messages."""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from plugin.consent.service import hash_ip
from plugin.errors import ApiError
from plugin.messages import service as messages
from plugin.messages import threads
from plugin.models.types import utcnow
from plugin.portal import service, views, web
from plugin.rights.export import render_html, to_json

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")
MAX_TEXT_FIELD = 10000


@bp.before_request
def _fresh() -> None:
    web.reset()


@bp.after_request
def _headers(response: Response) -> Response:
    return web.headers(response)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    # Pages answer with a page; a CSRF failure says so in the person's language.
    key = "error_csrf" if exc.description == "csrf" else "error_generic"
    if exc.code == 404:
        key = "error_not_found"
    return web.page("message.html", exc.code or 500, title_key="error_title", text_key=key)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    key = {404: "error_not_found", 422: "error_invalid"}.get(exc.status, "error_generic")
    return web.page("message.html", exc.status, title_key="error_title", text_key=key)


def _text(name: str) -> str:
    value = request.form.get(name, "")
    if len(value) > MAX_TEXT_FIELD:
        raise ApiError(422, "validation_failed", "The text is too long")
    return value


@bp.get("/data")
@web.login_required
def data() -> ResponseReturnValue:
    """What is held, by purpose, with retention dates; values behind a 'show' toggle."""
    return web.page("data.html", held=views.my_data(web.subject_id()))


@bp.get("/consents")
@web.login_required
def consents() -> ResponseReturnValue:
    """Each consent with its exact wording; withdraw, give again, download receipts."""
    rows = views.my_consents(web.subject_id(), web.lang())
    return web.page("consents.html", consents=rows)


@bp.post("/consents/<consent_id>/withdraw")
@web.login_required
def withdraw(consent_id: str) -> ResponseReturnValue:
    """Withdraw a consent through the consent service (receipt issued, audited)."""
    service.withdraw(web.subject_id(), consent_id)
    return redirect(url_for("portal.consents", done="consent_withdrawn_ok"))


@bp.post("/consents/give")
@web.login_required
def give() -> ResponseReturnValue:
    """Give a consent again to the wording shown on the page."""
    text_id = request.form.get("text_id", "")
    if not text_id.isdigit() or len(text_id) > 9:
        raise ApiError(422, "validation_failed", "Unknown wording")
    evidence = {
        "ip_hash": hash_ip(request.remote_addr),
        "user_agent": request.user_agent.string or None,
    }
    service.give_again(web.subject_id(), _text("purpose")[:64], int(text_id), evidence)
    return redirect(url_for("portal.consents", done="consent_given_ok"))


def _download(document: object, name: str) -> Response:
    body = document if isinstance(document, str) else json.dumps(document, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/consents/<consent_id>/receipt/<kind>")
@web.login_required
def receipt(consent_id: str, kind: str) -> ResponseReturnValue:
    """Download a signed consent receipt (given or withdrawn)."""
    if kind not in ("given", "withdrawn"):
        raise ApiError(404, "not_found", "No such receipt")
    document = service.receipt_file(web.subject_id(), consent_id, kind)
    return _download(document, f"consent-receipt-{kind}.json")


@bp.get("/requests")
@web.login_required
def requests_page() -> ResponseReturnValue:
    """The person's requests and their status; export, erasure and correction forms."""
    return web.page(
        "requests.html",
        rows=views.my_requests(web.subject_id()),
        erasure=views.my_erasure(web.subject_id(), web.lang()),
    )


@bp.post("/requests/export")
@web.login_required
def export() -> ResponseReturnValue:
    """The signed export as a download (JSON, or the signed page in the person's language);
    recorded as a completed access request."""
    fmt = request.form.get("format", "json")
    if fmt not in ("json", "html"):
        raise ApiError(422, "validation_failed", "Unknown format")
    envelope = service.export(web.subject_id(), web.lang())
    day = utcnow().date().isoformat()
    if fmt == "html":
        page = Response(render_html(envelope, web.lang()), mimetype="text/html")
        page.headers["Content-Disposition"] = f'attachment; filename="my-data-{day}.html"'
        return page
    return _download(to_json(envelope), f"my-data-{day}.json")


@bp.post("/requests/portability")
@web.login_required
def portability() -> ResponseReturnValue:
    """Art. 20: what the person gave us, machine-readable (JSON or CSV), as a download."""
    fmt = request.form.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ApiError(422, "validation_failed", "Unknown format")
    body, mimetype = service.portability(web.subject_id(), fmt)
    response = Response(body, mimetype=mimetype)
    name = f"my-data-portable-{utcnow().date().isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/requests/<kind>")
@web.login_required
def ask(kind: str) -> ResponseReturnValue:
    """Ask for erasure (confirmed by a tick) or correction (with a note)."""
    if kind == "erasure" and request.form.get("confirm") != "yes":
        raise ApiError(422, "validation_failed", "Tick the box to confirm")
    row = service.ask(web.subject_id(), kind, _text("note"))
    return redirect(url_for("portal.requests_page", done="request_ok", due=row.due_on.isoformat()))


@bp.get("/messages")
@web.login_required
def messages_page() -> ResponseReturnValue:
    """Secure messages, decrypted for the person; opening the page marks them read."""
    rows = threads.messages_of(web.subject_id())
    threads.mark_read(web.subject_id())
    return web.page("messages.html", messages=rows)


@bp.post("/messages/<message_id>/reply")
@web.login_required
def reply(message_id: str) -> ResponseReturnValue:
    """Answer a message securely."""
    body = _text("body").strip()
    if not body or len(body) > messages.MAX_BODY_CHARS:
        raise ApiError(422, "validation_failed", "Write a reply")
    messages.reply(web.subject_id(), message_id, body)
    return redirect(url_for("portal.messages_page", done="reply_ok"))
