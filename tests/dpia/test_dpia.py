"""DPIA workspace (Art. 35): drafts from the live inventory, screening, risks, sign-off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.models import Dpia
from plugin.signing.verify import VerificationError, verify_document
from tests.admin.helpers import sign_in
from tests.agents.helpers import bearer, events
from tests.ropa.test_ropa import _seed

API = "/api/dpias"


def _draft(app: Flask, title: str = "Kundeservice") -> dict:
    response = app.test_client().post(API, headers=bearer(app, "dpo"), json={"title": title})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _complete(app: Flask, dpia: dict, residual: str = "low") -> dict:
    risks = [
        {k: r[k] for k in ("key", "description", "likelihood", "severity", "measures")}
        | {"residual": residual}
        for r in dpia["risks"]
    ]
    response = app.test_client().patch(
        f"{API}/{dpia['id']}",
        headers=bearer(app, "dpo"),
        json={
            "risks": risks,
            "necessity": "Support kan ikke ydes uden kundens oplysninger.",
            "dpo_advice": "Fortsæt; gennemgå om et år.",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_draft_is_prefilled_from_the_live_inventory(app: Flask) -> None:
    _seed()  # one live person with health, contact and CPR findings in a HubSpot ticket
    dpia = _draft(app)
    scope = dpia["scope"]
    assert scope["subjects"] == 1 and scope["special_share"] == 1.0
    assert scope["categories"]["special"] == {"subjects": 1, "records": 1}
    assert scope["types"]["cpr"] == 1 and scope["tickets_by_vendor"] == {"hubspot": 1}
    assert [t["processor"] for t in scope["transfers"]] == ["freshdesk"]  # US; others EU
    assert scope["retention"]["support"]["special_days"] == 30
    # Screening: sensitive data and automated classification are met; one vendor only.
    assert dpia["criteria"]["sensitive_data"] and dpia["criteria"]["innovative_technology"]
    assert not dpia["criteria"]["matching_datasets"] and not dpia["criteria"]["large_scale"]
    assert dpia["required"] is True
    keys = [r["key"] for r in dpia["risks"]]
    assert keys[:2] == ["cpr_misuse", "special_disclosure"] and "third_country_access" in keys
    assert dpia["missing"] == ["need_residual", "need_necessity", "need_advice"]
    drafted = [e for e in events("admin_action") if e.details["operation"] == "dpia_drafted"]
    assert len(drafted) == 1 and drafted[0].details["dpia"] == dpia["id"]


def test_an_empty_centre_is_not_flagged_as_sensitive(app: Flask) -> None:
    dpia = _draft(app)
    assert dpia["scope"]["subjects"] == 0 and not dpia["criteria"]["sensitive_data"]
    assert dpia["required"] is False
    assert "special_disclosure" not in [r["key"] for r in dpia["risks"]]


def test_sign_off_signs_and_freezes_then_revise(app: Flask) -> None:
    _seed()
    client = app.test_client()
    dpo = bearer(app, "dpo", agent="dpo-anne")
    dpia = _draft(app)
    early = client.post(f"{API}/{dpia['id']}/sign-off", headers=dpo)
    assert early.status_code == 409
    assert "need_necessity" in early.get_json()["error"]["message"]
    _complete(app, dpia, residual="high")
    signed = client.post(f"{API}/{dpia['id']}/sign-off", headers=dpo).get_json()
    assert signed["status"] == "signed_off" and signed["signed_off_by"] == "dpo-anne"
    assert signed["prior_consultation"] is True  # a high residual risk: Art. 36
    assert signed["review_on"] and signed["missing"] == []
    frozen = client.patch(f"{API}/{dpia['id']}", headers=dpo, json={"title": "x"})
    assert frozen.status_code == 409
    again = client.post(f"{API}/{dpia['id']}/sign-off", headers=dpo)
    assert again.status_code == 409
    db.session.expire_all()  # the signature must hold over what the database gives back
    exported = client.get(f"{API}/{dpia['id']}/export", headers=dpo).get_json()
    keyring = app.extensions["datavagt.keyring"]
    assert "impact assessment OK" in verify_document(exported, keyring)
    exported["dpia"]["risks"][0]["residual"] = "low"
    with pytest.raises(VerificationError):
        verify_document(exported, keyring)
    revision = client.post(f"{API}/{dpia['id']}/revise", headers=dpo)
    assert revision.status_code == 201
    new = revision.get_json()
    assert new["revision_of"] == dpia["id"] and new["status"] == "draft"
    assert new["necessity"].startswith("Support") and all(
        r["residual"] is None for r in new["risks"]
    )
    assert client.get(f"{API}/{dpia['id']}", headers=dpo).get_json()["status"] == "signed_off"
    operations = [e.details["operation"] for e in events("admin_action")]
    assert operations.count("dpia_signed_off") == 1 and operations.count("dpia_drafted") == 2


def test_bad_requests_change_nothing(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    assert client.get(API).status_code == 401
    assert client.get(API, headers=bearer(app, "team_lead")).status_code == 403
    assert client.post(API, headers=bearer(app, "agent"), json={"title": "x"}).status_code == 403
    dpia = _draft(app)
    url = f"{API}/{dpia['id']}"
    risk = {"key": "staff_access", "likelihood": "low", "severity": "low"}
    for body in (
        {"criteria": {"made_up": True}},
        {"risks": [{**risk, "likelihood": "enormous"}]},
        {"risks": [{**risk, "measures": ["prayer"]}]},
        {"risks": [{**risk, "key": "custom"}]},  # a risk of one's own needs a description
        {"risks": [risk] * 51},
        {"title": ""},
        {"unknown": 1},
        {"review_on": "soon"},
    ):
        response = client.patch(url, headers=dpo, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["message"]
    assert client.post(API, headers=dpo, json={}).status_code == 422
    assert client.post(API, headers=dpo, data="x", content_type="text/plain").status_code == 400
    big = client.patch(url, headers=dpo, json={"necessity": "y" * 70000})
    assert big.status_code == 413
    assert client.get(f"{API}/nobody", headers=dpo).status_code == 404
    assert client.get(f"{API}/{'x' * 5000}", headers=dpo).status_code == 404
    assert client.get(f"{url}/export", headers=dpo).status_code == 409  # not signed off
    assert client.post(f"{url}/revise", headers=dpo).status_code == 409
    unchanged = db.session.get(Dpia, dpia["id"])
    assert unchanged.title == "Kundeservice" and len(unchanged.risks) == len(dpia["risks"])


def test_cli(cli_env: CliRunner, tmp_path: Path) -> None:
    drafted = cli_env.invoke(cli, ["dpia", "draft", "--title", "Kundeservice", "--by", "dpo-anne"])
    assert drafted.exit_code == 0, drafted.output
    dpia = json.loads(drafted.output)
    assert [d["id"] for d in json.loads(cli_env.invoke(cli, ["dpia", "list"]).output)] == [
        dpia["id"]
    ]
    early = cli_env.invoke(cli, ["dpia", "sign-off", dpia["id"], "--by", "dpo-anne"])
    assert early.exit_code == 1 and "Traceback" not in early.output
    assert "assess the residual risk of every risk" in early.output
    changes = tmp_path / "changes.json"
    changes.write_text(
        json.dumps(
            {
                "risks": [
                    {"key": r["key"], "likelihood": "low", "severity": "medium", "residual": "low"}
                    for r in dpia["risks"]
                ],
                "necessity": "Nødvendig for at besvare henvendelser.",
                "dpo_advice": "Godkendt.",
            }
        ),
        encoding="utf-8",
    )
    updated = cli_env.invoke(cli, ["dpia", "update", dpia["id"], "--file", str(changes)])
    assert updated.exit_code == 0 and json.loads(updated.output)["missing"] == []
    signed = cli_env.invoke(cli, ["dpia", "sign-off", dpia["id"], "--by", "dpo-anne"])
    assert signed.exit_code == 0 and json.loads(signed.output)["status"] == "signed_off"
    out = tmp_path / "dpia.json"
    assert cli_env.invoke(cli, ["dpia", "export", dpia["id"], "--to", str(out)]).exit_code == 0
    verified = cli_env.invoke(cli, ["verify", str(out)])
    assert verified.exit_code == 0 and "impact assessment OK" in verified.output
    bad = tmp_path / "bad.json"
    bad.write_text("[1]", encoding="utf-8")
    for args in (
        ["dpia", "update", dpia["id"], "--file", str(bad)],
        ["dpia", "update", dpia["id"], "--file", str(tmp_path / "missing.json")],
        ["dpia", "show", "nobody"],
        ["dpia", "draft", "--title", ""],
    ):
        result = cli_env.invoke(cli, args)
        assert result.exit_code == 1, args
        assert result.output.startswith("datavagt: error: ") and "Traceback" not in result.output
    assert cli_env.invoke(cli, ["dpia", "--help"]).exit_code == 0


def test_console_in_danish(app: Flask) -> None:
    _seed()
    client = app.test_client()
    assert client.get("/admin/dpia").status_code == 302
    token = sign_in(app, client)
    page = client.get("/admin/dpia?lang=da").get_data(as_text=True)
    assert "Konsekvensanalyser vedrørende databeskyttelse (GDPR art. 35)" in page
    forged = client.post("/admin/dpia", data={"title": "x"})
    assert forged.status_code in (400, 403) and db.session.query(Dpia).count() == 0
    made = client.post("/admin/dpia", data={"title": "Kundeservice", "csrf_token": token})
    assert made.status_code == 302
    dpia = db.session.query(Dpia).one()
    page = client.get(f"/admin/dpia/{dpia.id}?lang=da").get_data(as_text=True)
    assert "En konsekvensanalyse er sandsynligvis påkrævet" in page
    assert "CPR-numre i sager misbruges til identitetstyveri" in page
    form = {"csrf_token": token, "lang": "da", "necessity": "Nødvendig.", "dpo_advice": "OK."}
    form.update({f"risk-{i}-residual": "medium" for i in range(len(dpia.risks))})
    form["criterion-sensitive_data"] = "on"
    assert client.post(f"/admin/dpia/{dpia.id}", data=form).status_code == 302
    signed = client.post(f"/admin/dpia/{dpia.id}/sign-off", data={"csrf_token": token})
    assert signed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dpia, dpia.id).status == "signed_off"
    assert db.session.get(Dpia, dpia.id).signed_off_by == "dpo-anne"
    download = client.get(f"/admin/dpia/{dpia.id}/export")
    assert download.status_code == 200 and download.get_json()["type"] == "datavagt.dpia"
    assert client.get("/admin/dpia/nobody").status_code == 404
