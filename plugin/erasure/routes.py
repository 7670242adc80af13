"""``/api/subjects/<id>/erase``, its preview and the erasure certificate (DPO only)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented, load_json
from plugin.auth import current_actor, require_role
from plugin.erasure.certificate import certificate_document
from plugin.erasure.errors import ErasureError
from plugin.erasure.schemas import CertificateOut, EraseSchema, ErasurePreviewOut, ErasureStatusOut
from plugin.erasure.service import preview_erasure, request_erasure
from plugin.errors import ApiError
from plugin.extensions import db

# The templates folder holds the erasure partial the portal and the console both include.
bp = Blueprint("erasure", __name__, url_prefix="/api/subjects", template_folder="templates")
SUBJECT_ID = "<string(length=36):subject_id>"


def _api(exc: ErasureError) -> ApiError:
    db.session.rollback()
    return ApiError(exc.status, exc.code, exc.message)


@bp.post(f"/{SUBJECT_ID}/erase")
@documented(
    summary="Erase a person everywhere (Art. 17): vendor deletions, vault shredding, certificate",
    tags=["subjects"],
    body=EraseSchema,
    response=ErasureStatusOut,
    errors=(400, 401, 403, 404, 409, 413, 422, 503),
    auth="agentJWT",
)
@require_role("dpo")
def erase(subject_id: str) -> ResponseReturnValue:
    """Queue the erasure; 202 while vendor jobs run, 409 under legal hold."""
    data = load_json(EraseSchema())
    actor = current_actor()
    try:
        status = request_erasure(
            subject_id, actor_id=actor.id, reason=data["reason"], role=actor.role or "dpo"
        )
    except ErasureError as exc:
        raise _api(exc) from exc
    return jsonify(ErasureStatusOut().dump(status)), 202


@bp.get(f"/{SUBJECT_ID}/erasure/preview")
@documented(
    summary="What an erasure would do: tickets and contacts per vendor, what Art. 17(3) keeps",
    tags=["subjects"],
    response=ErasurePreviewOut,
    errors=(401, 403, 404),
    auth="agentJWT",
)
@require_role("dpo")
def preview(subject_id: str) -> ResponseReturnValue:
    """Nothing is changed; kept cases name their legal basis and the date they are deleted."""
    try:
        return jsonify(ErasurePreviewOut().dump(preview_erasure(subject_id)))
    except ErasureError as exc:
        raise _api(exc) from exc


@bp.get(f"/{SUBJECT_ID}/erasure-certificate")
@documented(
    summary="The signed deletion certificate (409 while the erasure is still running)",
    tags=["subjects"],
    response=CertificateOut,
    errors=(401, 403, 404, 409),
    auth="agentJWT",
)
@require_role("dpo")
def certificate(subject_id: str) -> ResponseReturnValue:
    """Per store what was destroyed and what remains until when, signed; state
    pending_expiry until the last date passes, then complete. Check with `datavagt verify`."""
    try:
        return jsonify(certificate_document(subject_id))
    except ErasureError as exc:
        raise _api(exc) from exc
