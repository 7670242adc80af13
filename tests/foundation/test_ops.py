"""Health, readiness, metrics, OpenAPI, JWKS and the one JSON error shape."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from plugin import database
from plugin.extensions import db


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["X-Request-Id"]


def test_readyz_at_head(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["revision"] == database.head_revision()


def test_readyz_not_migrated(app: Flask, client: FlaskClient) -> None:
    database.downgrade(app.config["SQLALCHEMY_DATABASE_URI"], "base")
    db.engine.dispose()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "not migrated"


def test_readyz_unreachable(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sync=False, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


def test_metrics_prometheus_text(client: FlaskClient) -> None:
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'datavagt_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "datavagt_inbox_items" in text


def test_openapi_document(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert "Error" in spec["components"]["schemas"]


def test_jwks_publishes_ed25519_key(client: FlaskClient) -> None:
    keys = client.get("/.well-known/jwks.json").json["keys"]
    assert keys and keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519"
    assert "d" not in keys[0]  # never the private half


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/no/such/route", 404, "not_found"),
        ("POST", "/healthz", 405, "method_not_allowed"),
    ],
)
def test_errors_are_json(
    client: FlaskClient, method: str, path: str, status: int, code: str
) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_oversized_body_is_413_json(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(max_request_bytes=1024)

    @app.post("/echo-size")
    def echo_size() -> dict[str, int]:
        from flask import request

        return {"size": len(request.get_data())}

    response = app.test_client().post("/echo-size", data=b"x" * 4096)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_entity_too_large"


def test_unexpected_error_hides_details_and_logs_no_message(
    make_app,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app()
    app.config["TESTING"] = False  # let the handler answer instead of re-raising
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> None:
        raise ValueError("jens.hansen@example.com 010203-1234")

    with caplog.at_level(logging.INFO):
        response = app.test_client().get("/boom?email=jens.hansen@example.com")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "jens.hansen" not in body and "Traceback" not in body
    assert "jens.hansen" not in caplog.text and "010203" not in caplog.text
    assert any(getattr(r, "error_type", None) == "ValueError" for r in caplog.records)


def test_request_id_is_kept_when_safe_and_replaced_when_not(client: FlaskClient) -> None:
    assert (
        client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"]
        == "abc-123"
    )
    unsafe = client.get("/healthz", headers={"X-Request-Id": "x@y.com"}).headers["X-Request-Id"]
    assert unsafe != "x@y.com" and len(unsafe) == 16
