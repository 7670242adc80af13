"""Console ROPA pages: Danish/English record, save a signed version, downloads, diff, CSRF."""

from __future__ import annotations

import re

from flask import Flask

from plugin.ropa.versions import verify_document
from tests.admin.helpers import sign_in
from tests.agents.helpers import events


def test_record_in_both_languages(app: Flask) -> None:
    client = app.test_client()
    sign_in(app, client)
    da = client.get("/admin/ropa?lang=da").get_data(as_text=True)
    en = client.get("/admin/ropa?lang=en").get_data(as_text=True)  # Danish is remembered
    assert "Gem signeret version" in da and "Databeskyttelsesrådgiver" in da
    assert "Save signed version" in en and "Data protection officer" in en
    assert "Ingen version gemt endnu." in da and "No version saved yet." in en
    # an unknown language keeps the remembered one (English here) instead of failing
    assert "Save signed version" in client.get("/admin/ropa?lang=xx").get_data(as_text=True)


def test_save_download_verify_diff(app: Flask) -> None:
    client = app.test_client()
    token = sign_in(app, client)
    assert client.post("/admin/ropa/versions", data={"lang": "da"}).status_code == 400  # CSRF
    saved = client.post("/admin/ropa/versions", data={"csrf_token": token, "lang": "da"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/admin/ropa?lang=da")
    client.post("/admin/ropa/versions", data={"csrf_token": token})
    page = client.get("/admin/ropa?lang=da").get_data(as_text=True)
    assert "Version 1 gemt" in page and 'id="ropa-version-2"' in page
    signed = client.get("/admin/ropa/versions/1.json")
    assert signed.status_code == 200 and "ropa-v1.json" in signed.headers["Content-Disposition"]
    assert verify_document(signed.get_json(), app.extensions["datavagt.keyring"])["version"] == 1
    html = client.get("/admin/ropa/versions/1.html?lang=da")
    assert html.status_code == 200 and '<html lang="da">' in html.get_data(as_text=True)
    link = re.search(r'class="diff" href="([^"]+)"', page)
    assert link
    diff = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Ændringer fra version 1 til version 2" in diff and "Ingen ændringer." in diff
    assert [e.actor_id for e in events("ropa_saved")] == ["dpo-anne", "dpo-anne"]


def test_bad_requests_are_pages(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/admin/ropa").status_code == 302  # to the login form
    assert client.get("/admin/ropa/versions/1.json").status_code == 302
    sign_in(app, client)
    assert client.get("/admin/ropa/versions/1.json").status_code == 404
    assert client.get("/admin/ropa/versions/99999999999999.html").status_code == 404
    assert client.get("/admin/ropa/diff?from=x&to=1").status_code == 400
    assert client.get("/admin/ropa/diff?from=1&to=2").status_code == 404
