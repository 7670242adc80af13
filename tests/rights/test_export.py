"""Access export (Art. 15/20): complete, signed (verified with joserfc and the JWKS), audited."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from flask import Flask
from joserfc import jws
from joserfc.errors import BadSignatureError, SecurityWarning
from joserfc.jwk import KeySet

from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.messages import service as messages
from plugin.rights.signature import verify_document, verify_page
from plugin.signing.jws import SignatureError, canonical
from tests.agents.helpers import bearer, events
from tests.rights.seeding import CPR, EMAIL, Person


def joserfc_verify(envelope: dict[str, Any], jwks: dict[str, Any]) -> bytes:
    """Verify with joserfc alone: the JWKS, the detached token and the canonical payload."""
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" as superseded by "Ed25519" (RFC 9864); same algorithm here.
        warnings.simplefilter("ignore", SecurityWarning)
        result = jws.deserialize_compact(
            envelope["jws"],
            KeySet.import_key_set(jwks),
            algorithms=["EdDSA"],
            payload=canonical(envelope["export"]),
        )
    return result.payload


def _export(app: Flask, person: Person, **query: str):  # noqa: ANN202
    client = app.test_client()
    return client.get(
        f"/api/subjects/{person.subject_id}/export",
        query_string=query,
        headers=bearer(app, "dpo", agent="dpo-anne"),
    )


def test_export_holds_everything(vendor_app: Flask, person: Person) -> None:
    response = _export(vendor_app, person)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    envelope = response.get_json()
    doc = envelope["export"]
    assert envelope["type"] == "datavagt.access_export"
    assert {t["vendor"] for t in doc["tickets"]} == {"freshdesk", "hubspot", "dynamics"}
    values = {f["value"] for t in doc["tickets"] for f in t["findings"]}
    assert values == {CPR, EMAIL}  # decrypted originals from the vault
    assert EMAIL in {i["value"] for i in doc["identifiers"]}
    assert doc["purposes"][0] | {"retention": None} == {
        "code": "support",
        "name": "Customer support",
        "legal_basis": "contract",
        "retention": None,
    }
    assert {r["vendor"] for r in doc["recipients"]} == {"freshdesk", "hubspot", "dynamics"}
    assert all(r["transfer_mechanism"] for r in doc["recipients"])
    assert doc["categories"] == {"contact": 5, "identity": 3}
    assert set(doc["answers"]) == {
        "data_collected",
        "why",
        "how_long",
        "how_processed",
        "correct_or_delete",
        "accessed_by",
        "shared_with",
    }


def test_signature_verifies_independently_with_joserfc(vendor_app: Flask, person: Person) -> None:
    envelope = _export(vendor_app, person).get_json()
    jwks = vendor_app.test_client().get("/.well-known/jwks.json").get_json()
    header, empty, signature = envelope["jws"].split(".")
    assert empty == ""  # detached payload (RFC 7515 appendix F)
    assert json.loads(joserfc_verify(envelope, jwks)) == envelope["export"]
    assert verify_document(envelope, jwks)["subject_id"] == person.subject_id


def test_tampered_export_fails(vendor_app: Flask, person: Person) -> None:
    envelope = _export(vendor_app, person).get_json()
    jwks = vendor_app.test_client().get("/.well-known/jwks.json").get_json()
    envelope["export"]["tickets"][0]["findings"][0]["value"] = "forged"
    with pytest.raises(SignatureError):
        verify_document(envelope, jwks)
    with pytest.raises(BadSignatureError):
        joserfc_verify(envelope, jwks)


def test_export_is_audited_and_lists_who_accessed(vendor_app: Flask, person: Person) -> None:
    _export(vendor_app, person)
    exports = events("export")
    assert len(exports) == 1
    assert exports[0].actor_id == "dpo-anne" and exports[0].subject_id == person.subject_id
    second = _export(vendor_app, person).get_json()["export"]
    # Roles, not employee ids (Art. 15 names recipients, not staff), unless configured.
    assert [(a["by"], a["role"], a["action"]) for a in second["accessed_by"]] == [
        ("employee", "dpo", "export")
    ]
    assert "dpo-anne" not in json.dumps(second)
    assert "dpo-anne" not in _export(vendor_app, person, format="html", lang="da").text
    vendor_app.config["EXPORT_NAME_EMPLOYEES"] = True
    named = _export(vendor_app, person).get_json()["export"]
    assert named["accessed_by"][0]["agent"] == "dpo-anne"
    assert EMAIL not in json.dumps([e.details for e in events()])


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Which employees accessed it"), ("da", "Hvilke medarbejdere har set dem")],
)
def test_readable_page(vendor_app: Flask, person: Person, lang: str, heading: str) -> None:
    response = _export(vendor_app, person, format="html", lang=lang)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert heading in page and EMAIL in page and CPR in page
    assert f'<html lang="{lang}">' in page


def test_unknown_subject_404(vendor_app: Flask) -> None:
    response = vendor_app.test_client().get(
        "/api/subjects/00000000-0000-4000-8000-000000000000/export",
        headers=bearer(vendor_app, "dpo"),
    )
    assert response.status_code == 404


@pytest.mark.parametrize("query", [{"format": "xml"}, {"lang": "de"}, {"bogus": "1"}])
def test_bad_query_422(vendor_app: Flask, person: Person, query: dict[str, str]) -> None:
    assert _export(vendor_app, person, **query).status_code == 422


def test_export_answers_art15_with_messages_and_sources(vendor_app: Flask, person: Person) -> None:
    agent = Actor(id="agent-7", role="agent", source="api")
    sent, _ = messages.store_for_subject(agent, person.subject_id, "Vi har brug for dit kundenr.")
    db.session.commit()
    messages.reply(person.subject_id, sent.id, "Det er 4711.")
    doc = _export(vendor_app, person).get_json()["export"]
    assert [(m["direction"], m["body"]) for m in doc["messages"]] == [
        ("out", "Vi har brug for dit kundenr."),
        ("in", "Det er 4711."),
    ]
    assert "agent-7" not in json.dumps(doc)
    assert set(doc["art15"]) == set("abcdefgh")
    assert doc["art15"]["a"][0] == {"purpose": "support", "legal_basis": "contract"}
    assert doc["art15"]["f"]["name"] == "Datatilsynet"
    assert doc["art15"]["h"] == {"automated_decisions": False, "profiling": False}
    assert {s["kind"] for s in doc["art15"]["g"]} >= {"case", "message"}
    assert all(
        f["source"]["ticket"] == t["external_id"] for t in doc["tickets"] for f in t["findings"]
    )
    page = _export(vendor_app, person, format="html", lang="da").get_data(as_text=True)
    jwks = vendor_app.test_client().get("/.well-known/jwks.json").get_json()
    assert verify_page(page, jwks)["subject_id"] == person.subject_id
    with pytest.raises(SignatureError):
        verify_page(page.replace("Det er 4711.", "Det er 4712."), jwks)
