"""The console's "Verify at the vendors / Kontrollér hos leverandørerne": every vendor is
asked again what it holds of an erased person; the answer per case and store in words, in
Danish and English, audited; only for a signed-in DPO, only with the form's CSRF token."""

from __future__ import annotations

import re

from flask import Flask

from plugin.erasure.certificate import issue
from plugin.extensions import db
from plugin.models import AdminSession
from plugin.retention.dispatcher import Dispatcher
from tests.admin.helpers import sign_in
from tests.agents.helpers import events
from tests.rights.seeding import CPR, EMAIL, Person, Sims


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _erase(app: Flask, client: object, token: str, person: Person) -> None:
    client.post(  # type: ignore[attr-defined]
        f"/admin/subjects/{person.subject_id}/erase",
        data={"csrf_token": token, "reason": "Art. 17"},
    )
    Dispatcher(app, threads=3).run_until_idle(timeout=60)
    db.session.expire_all()


def _verifications() -> list:
    return [e for e in events("admin_action") if e.details.get("operation") == "erasure_verify"]


def test_verify_shows_each_store_in_words_in_both_languages_and_is_audited(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    page = f"/admin/subjects/{person.subject_id}/erasure"
    assert "erasure-verify-form" not in client.get(page).text  # nothing to verify before
    _erase(vendor_app, client, token, person)
    assert "Verify at the vendors" in client.get(page).text
    assert "Kontrollér hos leverandørerne" in client.get(f"{page}?lang=da").text

    da = client.post(f"{page}/verify", data={"csrf_token": token, "lang": "da"})
    assert da.status_code == 200
    text = _text(da.text)
    assert 'data-ok="true"' in da.text
    assert "Hvad leverandørerne stadig har" in text
    assert "Intet er tilbage ud over kopier, som certifikatet nævner" in text
    hubspot = person.tickets["hubspot"]
    row = re.search(rf'data-ref="{hubspot}" data-status="(\w+)">(.*?)</tr>', da.text, re.S)
    assert row is not None and row.group(1) == "expected"
    assert "Sagssystem hubspot: sag" in _text(row.group(2))
    assert re.search(r"papirkurven \(kan gendannes\) \(findes indtil \d{4}-\d\d-\d\d\)", text)
    assert "Intet tilbage" in text  # the Dynamics case: gone, audit history too

    en = _text(client.post(f"{page}/verify", data={"csrf_token": token, "lang": "en"}).text)
    assert "What the vendors still hold" in en and "Nothing left" in en
    assert "Only copies the certificate names, until the vendor drops them" in en
    for value in (EMAIL, CPR, "Holm"):
        assert value not in da.text + en
    # The signed certificate's own check shows on each vendor store of the page too.
    issue(person.subject_id)
    shown = client.get(f"{page}?lang=da").text
    recycle = re.search(r'data-store="recycle_bin" data-vendor="hubspot".*?</tr>', shown, re.S)
    assert recycle is not None and 'data-verify="expected"' in recycle.group(0)
    assert "Kontrolleret " in _text(recycle.group(0))
    assert "Kun kopier, som certifikatet nævner" in _text(recycle.group(0))
    record = re.search(r'data-store="record" data-vendor="dynamics".*?</tr>', shown, re.S)
    assert record is not None and "Intet tilbage" in _text(record.group(0))
    audited = _verifications()
    assert len(audited) == 2 and audited[0].actor_id == "dpo-anne"
    assert audited[0].subject_id == person.subject_id
    assert audited[0].details["ok"] is True and audited[0].details["problems"] == 0


def test_a_record_restored_at_the_vendor_is_shown_as_still_held(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    _erase(vendor_app, client, token, person)
    sims.hubspot.tickets[person.tickets["hubspot"]]["archived"] = False  # restored by an agent
    answer = client.post(
        f"/admin/subjects/{person.subject_id}/erasure/verify",
        data={"csrf_token": token, "lang": "en"},
    )
    assert answer.status_code == 200 and 'data-ok="false"' in answer.text
    text = _text(answer.text)
    assert "Still held, and not as the certificate says" in text
    assert "Found in: the case itself" in text
    assert "The certificate stays open until this is resolved" in text
    (event,) = _verifications()
    assert event.details["ok"] is False and event.details["problems"] == 1


def test_verify_refuses_without_session_role_or_csrf_and_before_erasure(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    client = vendor_app.test_client()
    url = f"/admin/subjects/{person.subject_id}/erasure/verify"
    signed_out = client.post(url, data={})
    assert signed_out.status_code == 302 and signed_out.headers["Location"].endswith("/login")
    token = sign_in(vendor_app, client)
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert client.get(url).status_code == 405
    not_erased = client.post(url, data={"csrf_token": token, "lang": "da"})
    assert not_erased.status_code == 409
    assert "Denne person er ikke slettet" in not_erased.text
    unknown = "/admin/subjects/" + "0" * 36 + "/erasure/verify"
    assert client.post(unknown, data={"csrf_token": token}).status_code == 404
    # A session whose role no longer implies the DPO's (changed after sign-in) is refused.
    _erase(vendor_app, client, token, person)
    db.session.query(AdminSession).update({"role": "agent"})
    db.session.commit()
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert _verifications() == []
