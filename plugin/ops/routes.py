"""Routes for operators and machines: liveness, readiness, metrics, OpenAPI, JWKS."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from plugin import database
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.ops.metrics import registry
from plugin.ops.openapi import build_spec

bp = Blueprint("ops", __name__)
LOOPBACK = frozenset({"127.0.0.1", "::1"})


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """The database is reachable and migrated to the head revision."""
    try:
        current = database.current_revision(db.engine)
    except Exception:  # noqa: BLE001  (any driver failure means "not ready")
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    head = database.head_revision()
    if current != head:
        return jsonify(
            {"status": "unavailable", "database": "not migrated", "revision": current, "head": head}
        ), 503
    return jsonify({"status": "ready", "revision": current})


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    """Prometheus text exposition: with ``DATAVAGT_METRICS_TOKEN`` set, for its bearer;
    without it, for scrapers on this host only (queue sizes and rates are nobody else's)."""
    settings = current_app.extensions["datavagt.settings"]
    token = settings.environ.get("DATAVAGT_METRICS_TOKEN") or settings.extra.get("metrics_token")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), str(token).encode()
        ):
            raise ApiError(401, "unauthorized", "A metrics bearer token is required")
    elif request.remote_addr not in LOOPBACK or request.headers.get("X-Forwarded-For"):
        raise ApiError(
            403, "forbidden", "Metrics are served to this host only; set DATAVAGT_METRICS_TOKEN"
        )
    return Response(generate_latest(registry()), mimetype=CONTENT_TYPE_LATEST)


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI document, built once per process."""
    cached = current_app.extensions.get("datavagt.openapi")
    if cached is None:
        cached = current_app.extensions["datavagt.openapi"] = build_spec(current_app)
    return jsonify(cached)


@bp.get("/.well-known/jwks.json")
def jwks() -> ResponseReturnValue:
    """Public signing keys (audit checkpoints, tokens, receipts, certificates)."""
    response = jsonify(current_app.extensions["datavagt.keyring"].jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
