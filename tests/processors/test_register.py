"""Processor register (Art. 28): seeded from the manifest, agreements, sub-processors, reviews."""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.models import ProcessorAgreement
from plugin.models.types import utcnow
from tests.admin.helpers import sign_in
from tests.agents.helpers import bearer, events

FRESHWORKS_AWS = {
    "key": "freshdesk.aws",
    "name": "Amazon Web Services EMEA SARL",
    "role": "sub_processor",
    "parent_key": "freshdesk",
    "country": "LU",
    "service": "Hosting of Freshdesk's EU data centre",
    "data_categories": ["contact", "identity"],
}


def _by_key(rows: list[dict]) -> dict[str, dict]:
    return {r["key"]: r for r in rows}


def test_seeded_from_the_manifest_with_gaps_named(app: Flask) -> None:
    client = app.test_client()
    rows = _by_key(client.get("/api/processors", headers=bearer(app, "dpo")).get_json())
    assert set(rows) == {"datavagt", "freshdesk", "hubspot", "dynamics"}
    freshdesk = rows["freshdesk"]
    assert freshdesk["third_country"] is True and freshdesk["transfer_basis"] == "adequacy"
    assert rows["hubspot"]["transfer_basis"] == "eea"  # IE: no transfer
    assert freshdesk["gaps"] == ["agreement_date", "dpa_url", "review_due"]
    # Seeding twice adds nothing and keeps what the DPO entered.
    client.post(
        "/api/processors",
        headers=bearer(app, "dpo"),
        json={
            "key": "freshdesk",
            "name": "Freshworks Inc.",
            "country": "US",
            "transfer_basis": "adequacy",
            "agreement_date": "2025-03-01",
            "dpa_url": "https://www.freshworks.com/data-processing-addendum/",
        },
    )
    again = _by_key(client.get("/api/processors", headers=bearer(app, "dpo")).get_json())
    assert again["freshdesk"]["agreement_date"] == "2025-03-01"
    assert again["freshdesk"]["gaps"] == ["review_due"]
    assert db.session.query(ProcessorAgreement).count() == 4


def test_sub_processor_review_and_audit(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    client.get("/api/processors", headers=dpo)
    made = client.post("/api/processors", headers=dpo, json=FRESHWORKS_AWS)
    assert made.status_code == 201 and made.get_json()["transfer_basis"] == "eea"
    order = [r["key"] for r in client.get("/api/processors", headers=dpo).get_json()]
    assert order.index("freshdesk.aws") == order.index("freshdesk") + 1
    reviewed = client.post("/api/processors/freshdesk.aws/review", headers=dpo, json={"note": "ok"})
    body = reviewed.get_json()
    assert reviewed.status_code == 200 and body["last_review_on"] == utcnow().date().isoformat()
    assert "review_due" not in body["gaps"]
    # A review older than a year is due again.
    row = db.session.get(ProcessorAgreement, "freshdesk.aws")
    row.last_review_on = utcnow().date() - timedelta(days=366)
    db.session.commit()
    rows = _by_key(client.get("/api/processors", headers=dpo).get_json())
    assert "review_due" in rows["freshdesk.aws"]["gaps"]
    operations = [e.details["operation"] for e in events("admin_action")]
    assert operations.count("processor_saved") == 1
    assert operations.count("processor_reviewed") == 1


def test_bad_requests_change_nothing(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    assert client.get("/api/processors").status_code == 401
    assert client.get("/api/processors", headers=bearer(app, "team_lead")).status_code == 403
    assert client.post("/api/processors", headers=bearer(app, "agent"), json={}).status_code == 403
    client.get("/api/processors", headers=dpo)
    for body in (
        {**FRESHWORKS_AWS, "parent_key": "nobody"},
        {**FRESHWORKS_AWS, "parent_key": None},
        {**FRESHWORKS_AWS, "role": "processor"},
        {**FRESHWORKS_AWS, "country": "Luxembourg"},
        {**FRESHWORKS_AWS, "dpa_url": "http://insecure.example/dpa"},
        {**FRESHWORKS_AWS, "data_categories": ["everything"]},
        {**FRESHWORKS_AWS, "key": "Bad Key!"},
        {**FRESHWORKS_AWS, "extra": 1},
        {**FRESHWORKS_AWS, "agreement_date": "yesterday"},
    ):
        response = client.post("/api/processors", headers=dpo, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["message"]
    not_json = client.post("/api/processors", headers=dpo, data="x", content_type="text/plain")
    assert not_json.status_code == 400
    big = client.post(
        "/api/processors", headers=dpo, json={**FRESHWORKS_AWS, "service": "y" * 20000}
    )
    assert big.status_code == 413
    assert client.post("/api/processors/nobody/review", headers=dpo, json={}).status_code == 404
    long_key = client.post(f"/api/processors/{'x' * 5000}/review", headers=dpo, json={})
    assert long_key.status_code == 404
    assert db.session.query(ProcessorAgreement).count() == 4


def test_cli(cli_env: CliRunner) -> None:
    listed = json.loads(cli_env.invoke(cli, ["processors", "list"]).output)
    assert {r["key"] for r in listed} == {"datavagt", "freshdesk", "hubspot", "dynamics"}
    added = cli_env.invoke(
        cli,
        [
            "processors",
            "add",
            "--key",
            "freshdesk.aws",
            "--name",
            "AWS",
            "--role",
            "sub_processor",
            "--parent",
            "freshdesk",
            "--country",
            "LU",
            "--category",
            "contact",
        ],
    )
    assert added.exit_code == 0 and added.output.strip() == "added freshdesk.aws", added.output
    reviewed = cli_env.invoke(cli, ["processors", "review", "freshdesk.aws", "--by", "dpo-anne"])
    assert reviewed.exit_code == 0 and reviewed.output.startswith("reviewed freshdesk.aws on ")
    orphan = cli_env.invoke(
        cli,
        [
            "processors",
            "add",
            "--key",
            "x",
            "--name",
            "X",
            "--role",
            "sub_processor",
            "--country",
            "DE",
        ],
    )
    assert orphan.exit_code == 1
    assert (
        orphan.output.strip() == "datavagt: error: A sub-processor names the processor it works for"
    )
    bad = cli_env.invoke(
        cli, ["processors", "add", "--key", "x", "--name", "X", "--country", "Germany"]
    )
    assert bad.exit_code == 1 and bad.output.startswith("datavagt: error: country:")
    missing = cli_env.invoke(cli, ["processors", "review", "nobody"])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert cli_env.invoke(cli, ["processors", "--help"]).exit_code == 0


def test_console_page_in_danish_and_review(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/admin/processors").status_code == 302
    token = sign_in(app, client)
    page = client.get("/admin/processors?lang=da").get_data(as_text=True)
    assert "Databehandlere og underdatabehandlere (art. 28)" in page
    assert "Tilstrækkelighedsafgørelse" in page and "gennemgang forfalden" in page
    forged = client.post("/admin/processors/freshdesk/review")
    assert forged.status_code in (400, 403)
    done = client.post("/admin/processors/freshdesk/review?lang=da", data={"csrf_token": token})
    assert done.status_code == 302
    assert db.session.get(ProcessorAgreement, "freshdesk").last_review_by == "dpo-anne"
    unknown = client.post("/admin/processors/nobody/review", data={"csrf_token": token})
    assert unknown.status_code == 302
