"""The DPO's request queue: deadline, days left, overdue and extension in Danish and English,
and the late extension refused in words (Art. 12(3))."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask

from plugin.auth.guard import Actor
from plugin.auth.tokens import issue_token
from plugin.extensions import db
from plugin.models import DataSubjectRequest
from plugin.models.types import utcnow
from plugin.rights import requests
from tests.admin.helpers import csrf, sign_in

DPO = Actor(id="dpo-anne", role="dpo")
CODES = ("in_progress", "received<", "rectification<", "access<", "portability", ">email<")


def _seed() -> tuple[DataSubjectRequest, DataSubjectRequest]:
    today = utcnow().date()
    late = requests.create("access", DPO, received_on=today - timedelta(days=60))
    fresh = requests.create("rectification", DPO, received_on=today - timedelta(days=3))
    requests.start(fresh.id, DPO)
    return late, fresh


def _row(page: str, request_id: str) -> str:
    match = re.search(rf'<tr [^>]*data-request="{request_id}">(.*?)</tr>', page, re.S)
    assert match, page
    return match.group(1)


def test_queue_in_danish_and_english(app: Flask) -> None:
    late, fresh = _seed()
    client = app.test_client()
    sign_in(app, client)
    da = client.get("/admin/requests?lang=da").get_data(as_text=True)
    late_row = _row(da, late.id)
    days = (utcnow().date() - late.due_on).days
    assert "Indsigt (art. 15)" in late_row and f"{days} dage over fristen" in late_row
    assert "Over fristen" in late_row and "Kan ikke længere forlænges" in late_row
    assert 'value="extend"' not in late_row  # too late: not offered
    fresh_row = _row(da, fresh.id)
    assert "Berigtigelse (art. 16)" in fresh_row and "Under behandling" in fresh_row
    assert "Kan forlænges indtil" in fresh_row and 'value="extend"' in fresh_row
    assert "Anmodninger" in da and "Frist" in da and "Dage tilbage" in da
    en = client.get("/admin/requests?lang=en").get_data(as_text=True)
    assert f"{days} days overdue" in _row(en, late.id) and "In progress" in _row(en, fresh.id)
    for page in (da, en):
        table = page.split('id="requests"')[1].split("</table>")[0]
        for code in CODES:
            assert code not in table.replace(f'value="{code.strip("<>")}"', ""), code
    requests.extend(fresh.id, 1, "komplekst", DPO)
    shown = _row(client.get("/admin/requests?lang=da").get_data(as_text=True), fresh.id)
    assert "Forlænget med 1 måned(er)" in shown and "komplekst" in shown


def test_late_extension_refused_in_words(app: Flask) -> None:
    late, _fresh = _seed()
    client = app.test_client()
    token = sign_in(app, client)
    form = {"csrf_token": token, "request_id": late.id, "action": "extend", "reason": "travlt"}
    page = client.post("/admin/requests?lang=da", data=form, follow_redirects=True)
    assert page.status_code == 200
    assert "for sent at forlænge" in page.get_data(as_text=True)
    english = client.post("/admin/requests?lang=en", data=form, follow_redirects=True)
    assert "within one month of receipt" in english.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DataSubjectRequest, late.id).extended_on is None


def test_queue_forms_bad_input(app: Flask) -> None:
    _late, fresh = _seed()
    client = app.test_client()
    assert client.get("/admin/requests?lang=da").status_code in (302, 401)  # not signed in
    token = sign_in(app, client)
    extend = {"request_id": fresh.id, "action": "extend", "reason": "x"}
    assert client.post("/admin/requests", data=extend).status_code == 400  # no CSRF token
    bad_months = client.post(
        "/admin/requests?lang=da",
        data={**extend, "csrf_token": token, "months": "tre"},
        follow_redirects=True,
    )
    assert bad_months.status_code == 200 and "Ugyldig dato eller tal" in bad_months.get_data(
        as_text=True
    )
    too_many = client.post(
        "/admin/requests?lang=en",
        data={**extend, "csrf_token": token, "months": "5"},
        follow_redirects=True,
    )
    assert "months must be 1 or 2" in too_many.get_data(as_text=True)
    unknown = client.post(
        "/admin/requests?lang=da",
        data={"csrf_token": token, "request_id": "nope", "action": "start"},
        follow_redirects=True,
    )
    assert "Anmodningen findes ikke" in unknown.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DataSubjectRequest, fresh.id).extended_on is None


def test_agent_cannot_open_the_queue(app: Flask) -> None:
    _seed()
    client = app.test_client()
    token = issue_token(app.extensions["datavagt.keyring"], agent="agent-bo", role="agent")
    refused = client.post("/admin/login", data={"token": token, "csrf_token": csrf(client)})
    assert refused.status_code == 401
    queue = client.get("/admin/requests?lang=da")
    assert queue.status_code == 302 and "Indsigt" not in queue.get_data(as_text=True)
