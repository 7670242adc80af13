"""``/api/consents``: record, withdraw, list, receipts, and consent texts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, url_for
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented, load_json, load_query
from plugin.auth import current_actor, require_role
from plugin.consent import service
from plugin.consent.receipt import receipt_file
from plugin.consent.schemas import (
    ConsentOut,
    GiveSchema,
    ListQuery,
    PublishSchema,
    ReceiptQuery,
    TextOut,
    TextsQuery,
    WithdrawSchema,
)
from plugin.consent.seed import ensure_seeded
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.models import Consent

bp = Blueprint("consents", __name__, url_prefix="/api/consents")


@bp.before_request
def _seed() -> None:
    ensure_seeded(current_app._get_current_object())  # type: ignore[attr-defined]


NOT_FOUND = {"unknown_consent", "unknown_subject", "unknown_text"}


def _out(consent: Consent) -> dict[str, Any]:
    data = service.to_dict(consent)
    data["receipt_url"] = url_for("consents.receipt", consent_id=consent.id, kind="given")
    data["withdrawal_receipt_url"] = (
        url_for("consents.receipt", consent_id=consent.id, kind="withdrawn")
        if consent.withdrawal_receipt
        else None
    )
    return data


def _api_error(exc: service.ConsentError) -> ApiError:
    status = 404 if exc.code in NOT_FOUND else 409 if exc.code == "already_withdrawn" else 422
    return ApiError(status, exc.code, str(exc))


@bp.post("")
@documented(
    summary="Record a consent given by phone, e-mail or chat (agents record their own id)",
    tags=["consents"],
    body=GiveSchema,
    response=ConsentOut,
    errors=(400, 401, 403, 404, 413, 422),
    auth="agentJWT",
)
@require_role("agent", "dpo")
def give() -> ResponseReturnValue:
    """Record a consent to an exact text version."""
    data = load_json(GiveSchema())
    actor = current_actor()
    try:
        consent = service.give(
            data["subject_id"],
            data["purpose"],
            data["text_id"],
            channel=data["channel"],
            evidence={"agent_id": actor.id},
            explicit=data["explicit"],
            actor=actor,
        )
    except service.ConsentError as exc:
        raise _api_error(exc) from exc
    return jsonify(_out(consent)), 201


@bp.post("/<consent_id>/withdraw")
@documented(
    summary="Withdraw a consent (history is kept; a withdrawal receipt is issued)",
    tags=["consents"],
    body=WithdrawSchema,
    response=ConsentOut,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth="agentJWT",
)
@require_role("agent", "dpo")
def withdraw(consent_id: str) -> ResponseReturnValue:
    """Withdraw one consent."""
    data = load_json(WithdrawSchema())
    try:
        consent = service.withdraw(consent_id[:64], channel=data["channel"], actor=current_actor())
    except service.ConsentError as exc:
        raise _api_error(exc) from exc
    return jsonify(_out(consent))


@bp.get("")
@documented(
    summary="Consents of a subject, with the exact wording shown",
    tags=["consents"],
    query=ListQuery,
    response=ConsentOut,
    many=True,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def list_consents() -> ResponseReturnValue:
    """List a subject's consent history."""
    query = load_query(ListQuery())
    return jsonify([_out(c) for c in service.consents_of(query["subject_id"])])


@bp.get("/<consent_id>/receipt")
@documented(
    summary="Download a signed consent receipt file (JWS of a Kantara CR v1.1 body)",
    tags=["consents"],
    query=ReceiptQuery,
    errors=(401, 403, 404, 422),
    auth="agentJWT",
)
@require_role("dpo")
def receipt(consent_id: str) -> ResponseReturnValue:
    """The receipt of a consent as given or as withdrawn."""
    query = load_query(ReceiptQuery())
    consent = db.session.get(Consent, consent_id[:64])
    if consent is None:
        raise ApiError(404, "unknown_consent", "unknown consent")
    document = receipt_file(consent, query["kind"])
    if document is None:
        raise ApiError(404, "no_receipt", "the consent has no receipt of that kind")
    name = f"consent-receipt-{consent.id}-{query['kind']}.json"
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/texts")
@documented(
    summary="Published consent texts, every version",
    tags=["consents"],
    query=TextsQuery,
    response=TextOut,
    many=True,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("agent", "dpo")
def texts() -> ResponseReturnValue:
    """List consent text versions (agents need the id of the wording they read out)."""
    query = load_query(TextsQuery())
    return jsonify(TextOut(many=True).dump(service.list_texts(query.get("purpose"))))


@bp.post("/texts")
@documented(
    summary="Publish a new version of a consent text (old versions never change)",
    tags=["consents"],
    body=PublishSchema,
    response=TextOut,
    errors=(400, 401, 403, 413, 422),
    auth="agentJWT",
)
@require_role("dpo")
def publish() -> ResponseReturnValue:
    """Publish the next version for purpose × language."""
    data = load_json(PublishSchema())
    try:
        row = service.publish_text(
            data["purpose"], data["language"], data["text"], current_actor(), data["on_withdrawal"]
        )
    except service.ConsentTextError as exc:
        raise ApiError(422, "invalid_text", str(exc)) from exc
    return jsonify(TextOut().dump(row)), 201
