"""Record of processing (Art. 30): every point per activity, both languages, saved versions."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.ropa.builder import EEA
from plugin.ropa.versions import verify_document
from plugin.signing.jws import SignatureError
from tests.agents.helpers import bearer, events


def _seed(purpose: str = "complaint") -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    ticket = Ticket(vendor="hubspot", external_id="7", subject_id=subject.id, purpose=purpose)
    db.session.add(ticket)
    db.session.flush()
    for category, kind, over in (
        ("contact", "email", False),
        ("special", "health", True),
        ("identity", "cpr", False),
    ):
        db.session.add(
            Finding(
                ticket_id=ticket.id,
                subject_id=subject.id,
                field="content",
                type=kind,
                category=category,
                start=0,
                end=1,
                score=1.0,
                detector="t",
                masked="[X]",
                over_collection=over,
            )
        )
    db.session.commit()


def test_json_has_every_art30_point_per_activity(app: Flask) -> None:
    _seed()
    response = app.test_client().get("/api/ropa", headers=bearer(app, "dpo"))
    assert response.status_code == 200
    record = response.get_json()
    manifest = app.extensions["datavagt.manifest"]
    assert [a["code"] for a in record["activities"]] == list(manifest.purposes)
    # (a) controller with address and CVR, and the DPO
    controller = manifest.data["controller"]
    assert record["controller"]["address"] == controller["address"] != ""
    assert record["controller"]["cvr"] == controller["cvr"] == "13585628"
    assert record["dpo"] == manifest.data["ropa"]["dpo"]
    complaint = next(a for a in record["activities"] if a["code"] == "complaint")
    # (b) purpose and legal basis
    assert complaint["legal_basis"] == "legal_obligation"
    assert "Art. 6(1)(c)" in complaint["legal_basis_text"] and complaint["tickets"] == 1
    # (c) data subjects and categories, CPR and Art. 10
    assert complaint["data_subjects"]
    assert [c["code"] for c in complaint["data_categories"]] == [
        "identity",
        "contact",
        "location",
        "financial",
    ]
    assert complaint["cpr"]["processed"] is True
    assert complaint["art10"] == manifest.data["ropa"]["criminal_data"]["complaint"]
    marketing = next(a for a in record["activities"] if a["code"] == "marketing")
    assert marketing["art10"] == "Not processed"
    support = next(a for a in record["activities"] if a["code"] == "support")
    assert [c["special"] for c in support["data_categories"]] == [False] * 4
    # (d) recipients: Datavagt itself and the three vendors, all processors
    names = [r["name"] for r in complaint["recipients"]]
    assert names[0] == manifest.data["ropa"]["operator"]["name"]
    assert {"Freshworks Inc.", "HubSpot Ireland Ltd.", "Microsoft Ireland Operations Ltd."} <= set(
        names
    )
    assert {r["role_code"] for r in record["recipients"]} == {"processor"}
    # (e) third-country transfers: Freshworks (US) only; IE and DK are in the EEA
    assert [t["country"] for t in complaint["transfers"]] == ["US"]
    assert complaint["transfers"][0]["mechanism"].startswith("EU-US Data Privacy Framework")
    assert "US" not in EEA and {"IE", "DK"} <= EEA
    # (f) erasure deadlines, with the stricter Art. 9 rule of support
    assert complaint["retention"]["days"] == 1095
    assert support["retention"]["categories"]["special"]["days"] == 30
    assert support["retention"]["categories"]["special"]["action"] == "anonymise_ticket"
    # (g) security measures
    assert complaint["security_measures"] == manifest.data["security_measures"]
    # Art. 30(2) section exists (empty in the demo manifest) and live counts
    assert record["as_processor"]["activities"] == []
    assert record["live"]["subjects"] == 1 and record["live"]["cpr_findings"] == 1
    assert record["live"]["findings_per_category"] == {"contact": 1, "special": 1, "identity": 1}
    assert {r["vendor"]: r["in_use"] for r in record["recipients"]}["hubspot"] is True


def test_danish_and_english(app: Flask) -> None:
    client = app.test_client()
    da = client.get("/api/ropa?format=html&lang=da", headers=bearer(app, "dpo"))
    en = client.get("/api/ropa?format=html&lang=en", headers=bearer(app, "dpo"))
    assert da.status_code == en.status_code == 200
    da_text, en_text = da.get_data(as_text=True), en.get_data(as_text=True)
    assert '<html lang="da">' in da_text and '<html lang="en">' in en_text
    assert "Databeskyttelsesrådgiver" in da_text and "Klagebehandling" in da_text
    assert "f) De forventede tidsfrister for sletning" in da_text
    assert "1095 dage fra sagen er lukket" in da_text
    assert "(f) Envisaged time limits for erasure" in en_text
    assert "Complaint handling" in en_text and "13585628" in en_text
    record = client.get("/api/ropa?lang=da", headers=bearer(app, "dpo")).get_json()
    assert record["lang"] == "da" and record["activities"][0]["name"] == "Kundeservice"


@pytest.mark.parametrize(("fmt", "mimetype"), [("html", "text/html"), ("md", "text/markdown")])
def test_rendered(app: Flask, fmt: str, mimetype: str) -> None:
    response = app.test_client().get(f"/api/ropa?format={fmt}", headers=bearer(app, "admin"))
    assert response.status_code == 200 and response.mimetype == mimetype
    text = response.get_data(as_text=True)
    for spec in app.extensions["datavagt.manifest"].purposes.values():
        assert spec["name"] in text


def test_save_sign_list_get_diff(app: Flask) -> None:
    client = app.test_client()
    first = client.post("/api/ropa/versions", headers=bearer(app, "dpo", agent="dpo-anne"))
    assert first.status_code == 201
    assert first.get_json()["version"] == 1 and first.get_json()["created_by"] == "dpo-anne"
    _seed("warranty")
    second = client.post("/api/ropa/versions", headers=bearer(app, "dpo"))
    assert second.get_json()["version"] == 2
    listed = client.get("/api/ropa/versions", headers=bearer(app, "dpo")).get_json()
    assert [v["version"] for v in listed] == [2, 1]
    assert listed[0]["kid"] == app.extensions["datavagt.keyring"].active_signing_key.kid
    signed = client.get("/api/ropa/versions/1", headers=bearer(app, "dpo"))
    assert signed.status_code == 200 and "attachment" in signed.headers["Content-Disposition"]
    envelope = signed.get_json()
    assert envelope["type"] == "datavagt.ropa"
    document = verify_document(envelope, app.extensions["datavagt.keyring"])
    assert set(document["records"]) == {"da", "en"} and document["version"] == 1
    # verifiable from the public JWKS alone, and tampering is caught
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert verify_document(envelope, jwks)["version"] == 1
    envelope["ropa"]["records"]["en"]["controller"]["cvr"] = "00000000"
    with pytest.raises(SignatureError):
        verify_document(envelope, jwks)
    html = client.get("/api/ropa/versions/2?format=html&lang=da", headers=bearer(app, "dpo"))
    assert html.status_code == 200 and "Version: 2" in html.get_data(as_text=True)
    changes = client.get("/api/ropa/diff?from=1&to=2", headers=bearer(app, "dpo")).get_json()
    changed = {c["path"]: (c["from"], c["to"]) for c in changes["changed"]}
    assert changed["activities[warranty].tickets"] == (0, 1)
    assert changed["live.subjects"] == (0, 1)
    assert all("generated_at" not in c["path"] for c in changes["changed"])
    same = client.get("/api/ropa/diff?from=2&to=2", headers=bearer(app, "dpo")).get_json()
    assert same["added"] == same["removed"] == same["changed"] == []
    saved = events("ropa_saved")
    assert [e.details["version"] for e in saved] == [1, 2] and saved[0].actor_id == "dpo-anne"


def test_auth_and_bad_input(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    for method, url in (
        ("GET", "/api/ropa"),
        ("POST", "/api/ropa/versions"),
        ("GET", "/api/ropa/versions"),
        ("GET", "/api/ropa/versions/1"),
        ("GET", "/api/ropa/diff?from=1&to=1"),
    ):
        assert client.open(url, method=method).status_code == 401
        forbidden = client.open(url, method=method, headers=bearer(app, "team_lead"))
        assert forbidden.status_code == 403 and forbidden.is_json
    for url in (
        "/api/ropa?format=docx",
        "/api/ropa?lang=de",
        "/api/ropa?extra=1",
        "/api/ropa/diff?from=1",
        "/api/ropa/diff?from=x&to=1",
        "/api/ropa/diff?from=0&to=1",
        "/api/ropa/diff?from=1&to=99999999999999999999",
        f"/api/ropa/diff?from=1&to=1&lang={'x' * 5000}",
        "/api/ropa/versions/1?format=xml",
    ):
        response = client.get(url, headers=dpo)
        assert response.status_code == 422 and response.is_json, url
    assert client.get("/api/ropa/versions/1", headers=dpo).status_code == 404
    assert client.get("/api/ropa/versions/99999999999999999999", headers=dpo).status_code == 404
    assert client.get("/api/ropa/diff?from=1&to=2", headers=dpo).status_code == 404
    # a body on the save call is ignored, an oversized one refused before the view runs
    big = client.post("/api/ropa/versions", headers=dpo, data="x" * 4096)
    assert big.status_code == 413 and big.is_json
    assert client.get("/api/ropa/versions", headers=dpo).get_json() == []
