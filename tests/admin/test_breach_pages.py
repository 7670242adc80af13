"""Console breach register: record from the form (CSRF), clock, drafts, status steps."""

from __future__ import annotations

from flask import Flask

from plugin.extensions import db
from plugin.models import Breach
from tests.admin.helpers import sign_in
from tests.agents.helpers import events


def test_record_show_and_step(app: Flask) -> None:
    client = app.test_client()
    token = sign_in(app, client)
    assert "Ingen hændelser registreret." in client.get("/admin/breaches?lang=da").get_data(
        as_text=True
    )
    form = {"title": "Lost laptop", "categories": ["special", "bogus"], "high_risk": "on"}
    assert client.post("/admin/breaches", data=form).status_code == 400  # no CSRF token
    made = client.post("/admin/breaches", data={**form, "csrf_token": token, "lang": "da"})
    assert made.status_code == 302
    breach = db.session.query(Breach).one()
    assert breach.categories == ["special"] and breach.high_risk is True
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Udkast til anmeldelse af brud" in page and "formodet" in page
    stepped = client.post(
        f"/admin/breaches/{breach.id}/status", data={"csrf_token": token, "status": "confirmed"}
    )
    assert stepped.status_code == 302
    wrong = client.post(
        f"/admin/breaches/{breach.id}/status",
        data={"csrf_token": token, "status": "dismissed"},
        follow_redirects=True,
    )
    assert "cannot go from confirmed to dismissed" in wrong.get_data(as_text=True)
    assert [e.details["status"] for e in events("breach_updated")] == ["confirmed"]
    # Danish was picked above and is remembered; English is one switch away.
    en = client.get(f"/admin/breaches/{breach.id}?lang=en").get_data(as_text=True)
    assert "Draft notification of a personal data breach" in en


def test_bad_input(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/admin/breaches").status_code == 302
    token = sign_in(app, client)
    empty = client.post("/admin/breaches", data={"csrf_token": token}, follow_redirects=True)
    assert "Please check: title" in empty.get_data(as_text=True)
    assert client.get("/admin/breaches/nope").status_code == 404
    missing = client.post("/admin/breaches/nope/status", data={"csrf_token": token})
    assert missing.status_code == 404
    assert db.session.query(Breach).count() == 0
