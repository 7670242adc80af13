"""/api/consents: the contract, the permission matrix and receipts checked independently."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import KeySet

from plugin.consent.receipt import ReceiptError, verify_file
from plugin.consent.texts import current_text

Headers = Callable[..., dict[str, str]]


def _give(client: FlaskClient, headers: dict[str, str], subject_id: str, text_id: int) -> dict:
    body = {"subject_id": subject_id, "purpose": "marketing", "text_id": text_id}
    response = client.post("/api/consents", json={**body, "channel": "phone"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _independent_verify(client: FlaskClient, token: str) -> dict:
    """Check a JWS with joserfc against the published JWKS (none of our own code)."""
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" as superseded by "Ed25519" (RFC 9864); same algorithm here.
        warnings.simplefilter("ignore", SecurityWarning)
        obj = jws.deserialize_compact(token, keys, algorithms=["EdDSA"])
    return json.loads(obj.payload)


def test_agent_records_phone_consent_and_receipts_verify(
    seeded: Flask, client: FlaskClient, bearer: Headers, subject_id: str
) -> None:
    text = current_text("marketing", "da")
    given = _give(client, bearer("agent", agent="agent-42"), subject_id, text.id)
    assert given["evidence"] == {"agent_id": "agent-42"} and given["channel"] == "phone"
    assert given["text"]["text"] == text.text

    file = client.get(given["receipt_url"], headers=bearer("dpo"))
    assert file.status_code == 200 and "attachment" in file.headers["Content-Disposition"]
    document = file.get_json()
    body = _independent_verify(client, document["receipt"])
    for key in (
        "version",
        "jurisdiction",
        "consentTimestamp",
        "collectionMethod",
        "consentReceiptID",
        "publicKey",
        "language",
        "piiPrincipalId",
        "piiControllers",
        "policyUrl",
        "services",
        "sensitive",
        "spiCat",
    ):
        assert key in body, key
    assert body["version"] == "KI-CR-v1.1.0" and body["jurisdiction"] == "DK"
    assert body["piiPrincipalId"] == subject_id and body["consentStatus"] == "given"
    assert body["consentText"] == {
        "id": text.id,
        "purpose": "marketing",
        "version": text.version,
        "sha256": text.sha256,
        "onWithdrawal": "stop",
    }
    assert "marketing" in verify_file(document, seeded.extensions["datavagt.keyring"])

    out = client.post(
        f"/api/consents/{given['id']}/withdraw", json={"channel": "email"}, headers=bearer("agent")
    )
    assert out.status_code == 200 and out.get_json()["active"] is False
    withdrawn = client.get(out.get_json()["withdrawal_receipt_url"], headers=bearer("dpo"))
    wbody = _independent_verify(client, withdrawn.get_json()["receipt"])
    assert wbody["consentStatus"] == "withdrawn" and "withdrawalTimestamp" in wbody
    assert wbody["consentReceiptID"] != body["consentReceiptID"]
    again = client.post(
        f"/api/consents/{given['id']}/withdraw", json={"channel": "email"}, headers=bearer("agent")
    )
    assert again.status_code == 409

    listed = client.get(f"/api/consents?subject_id={subject_id}", headers=bearer("dpo"))
    assert [c["active"] for c in listed.get_json()] == [False]


def test_tampered_receipt_fails(
    seeded: Flask,
    client: FlaskClient,
    bearer: Headers,
    subject_id: str,
) -> None:
    given = _give(client, bearer("agent"), subject_id, current_text("marketing", "en").id)
    document = client.get(given["receipt_url"], headers=bearer("dpo")).get_json()
    header, payload, signature = document["receipt"].split(".")
    forged = {**document, "receipt": f"{header}.{payload[:-4]}AAAA.{signature}"}
    with pytest.raises(ReceiptError):
        verify_file(forged, seeded.extensions["datavagt.keyring"])
    with pytest.raises(ReceiptError, match="kind"):
        verify_file({**document, "kind": "withdrawn"}, seeded.extensions["datavagt.keyring"])


def test_dpo_publishes_and_lists_texts(seeded: Flask, client: FlaskClient, bearer: Headers) -> None:
    body = {"purpose": "marketing", "language": "en", "text": "Newer wording."}
    created = client.post("/api/consents/texts", json=body, headers=bearer("admin"))
    assert created.status_code == 201 and created.get_json()["version"] == 2
    listed = client.get("/api/consents/texts?purpose=marketing", headers=bearer("agent"))
    versions = [(t["language"], t["version"]) for t in listed.get_json()]
    assert ("en", 2) in versions and ("en", 1) in versions


BODY_GIVE = {"subject_id": "0" * 36, "purpose": "marketing", "text_id": 1, "channel": "phone"}


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "status"),
    [
        ("post", "/api/consents", BODY_GIVE, None, 401),
        ("post", "/api/consents", BODY_GIVE, "dpo", 404),
        ("get", "/api/consents?subject_id=" + "0" * 36, None, None, 401),
        ("get", "/api/consents?subject_id=" + "0" * 36, None, "agent", 403),
        ("get", "/api/consents?subject_id=" + "0" * 36, None, "team_lead", 403),
        ("get", "/api/consents?subject_id=" + "0" * 36, None, "admin", 200),
        ("get", "/api/consents/texts", None, None, 401),
        ("post", "/api/consents/texts", {"purpose": "x"}, "agent", 403),
        ("post", "/api/consents/texts", {"purpose": "x"}, None, 401),
        ("post", "/api/consents/x/withdraw", {"channel": "email"}, None, 401),
        ("post", "/api/consents/x/withdraw", {"channel": "email"}, "agent", 404),
        ("get", "/api/consents/x/receipt", None, "agent", 403),
        ("get", "/api/consents/x/receipt", None, "dpo", 404),
    ],
)
def test_permission_matrix(
    seeded: Flask,
    client: FlaskClient,
    bearer: Headers,
    method: str,
    path: str,
    body: dict | None,
    role: str | None,
    status: int,
) -> None:
    headers = bearer(role) if role else {}
    response = getattr(client, method)(path, json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    assert "error" in response.get_json() or status == 200


def test_malformed_and_invalid_bodies(client: FlaskClient, bearer: Headers) -> None:
    headers = {**bearer("dpo"), "Content-Type": "application/json"}
    bad = client.post("/api/consents", data="{not json", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "malformed_json"
    extra = client.post("/api/consents", json={**BODY_GIVE, "ip": "1.2.3.4"}, headers=headers)
    assert extra.status_code == 422 and "ip" in extra.get_json()["error"]["details"]["fields"]
    chan = client.post("/api/consents", json={**BODY_GIVE, "channel": "form"}, headers=headers)
    assert chan.status_code == 422
    query = client.get("/api/consents?subject_id=short", headers=headers)
    assert query.status_code == 422
    kind = client.get("/api/consents/x/receipt?kind=other", headers=headers)
    assert kind.status_code == 422


def test_oversized_requests(client: FlaskClient, bearer: Headers) -> None:
    long_text = {"purpose": "marketing", "language": "da", "text": "x" * 20001}
    too_long = client.post("/api/consents/texts", json=long_text, headers=bearer("dpo"))
    assert too_long.status_code == 422
    huge = {"purpose": "marketing", "language": "da", "text": "x" * (1024 * 1024 + 10)}
    too_big = client.post("/api/consents/texts", json=huge, headers=bearer("dpo"))
    assert too_big.status_code == 413 and too_big.get_json()["error"]
