"""The console's erasure page: the scope before (per vendor, what Art. 17(3) keeps), the
certificate's truth after (what remains where, until when), in Danish and English."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask

from plugin.erasure.certificate import issue
from plugin.extensions import db
from plugin.models import Ticket
from plugin.models.types import utcnow
from plugin.retention.dispatcher import Dispatcher
from tests.admin.helpers import sign_in
from tests.rights.seeding import Person


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_scope_before_and_truth_after_in_both_languages(vendor_app: Flask, person: Person) -> None:
    closed = utcnow() - timedelta(days=5)
    kept = Ticket(
        vendor="freshdesk",
        external_id="77001",
        subject_id=person.subject_id,
        purpose="complaint",
        status="closed",
        closed_at=closed,
        retention_due_at=closed + timedelta(days=1095),
    )
    db.session.add(kept)
    db.session.commit()
    until = kept.retention_due_at.date().isoformat()
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    url = f"/admin/subjects/{person.subject_id}/erasure"
    assert "erasure-scope" in client.get(f"/admin/subjects/{person.subject_id}").text

    da = client.get(f"{url}?lang=da")
    assert da.status_code == 200
    page = _text(da.text)
    assert "Hvad en sletning vil slette" in page
    for vendor in ("freshdesk", "hubspot", "dynamics"):
        assert f'data-vendor="{vendor}"' in da.text
    assert "Sager, vi skal opbevare: freshdesk" in page and until in page
    assert "Kontaktkort i freshdesk" in page and "litra e" in page
    scope = re.search(r'id="kept-count">(\d+)<', da.text)
    assert scope is not None and scope.group(1) == "1"

    client.post(
        f"/admin/subjects/{person.subject_id}/erase",
        data={"csrf_token": token, "reason": "Art. 17"},
    )
    Dispatcher(vendor_app, threads=3).run_until_idle(timeout=60)
    db.session.expire_all()
    claims = issue(person.subject_id)["claims"]
    en = _text(client.get(f"{url}?lang=en").text)
    assert "Erased; some copies disappear later" in en
    assert claims["remaining_until"] in en
    assert "Case system freshdesk: the Trash (restorable)" in en
    assert "Case system hubspot: the recycling bin (restorable)" in en
    assert "Database backups" in en and "Audit trail" in en
    assert "Cases we must keep: freshdesk" in en and until in en
    da_after = _text(client.get(f"{url}?lang=da").text)
    assert "Slettet; nogle kopier forsvinder senere" in da_after
    assert "Sikkerhedskopier af databasen" in da_after
    assert client.get("/admin/subjects/" + "0" * 36 + "/erasure").status_code == 404


def test_page_needs_a_console_session(vendor_app: Flask, person: Person) -> None:
    response = vendor_app.test_client().get(f"/admin/subjects/{person.subject_id}/erasure")
    assert response.status_code in (302, 401)
