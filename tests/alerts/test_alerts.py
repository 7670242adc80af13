"""Alerts that reach people: rules per role, e-mail and webhook, throttling, acknowledgement."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask

from plugin.alerts import service
from plugin.audit import record as audit_record
from plugin.audit.actions import EXPORT, REVEAL
from plugin.auth.guard import Actor
from plugin.cli.main import cli
from plugin.config import ConfigError, load_settings
from plugin.extensions import db
from plugin.models import AuditEvent, Breach
from plugin.models.alert import Alert
from plugin.models.types import utcnow
from tests.admin.helpers import csrf, sign_in
from tests.agents.helpers import bearer, events
from tests.alerts.conftest import Webhook
from tests.portal.mailbox import Mailbox

LEAD = Actor(id="lead-1", role="team_lead")


def _reveal(actor: Actor, times: int) -> None:
    for _ in range(times):
        audit_record(REVEAL, actor=actor, field="phone", reason="kunden ringede")
    db.session.commit()


def test_team_lead_revealing_50_values_in_a_minute(
    alert_app: Flask, mailbox: Mailbox, webhook: Webhook
) -> None:
    _reveal(LEAD, 49)
    assert service.evaluate() == []  # one under the team lead's limit
    _reveal(LEAD, 1)
    raised = service.evaluate()
    db.session.commit()
    assert len(raised) == 1
    alert = raised[0]
    assert alert.rule == "bulk_reveal" and alert.key == "bulk_reveal:lead-1"
    assert alert.params["count"] == 50 and alert.params["window_seconds"] == 60
    mails = mailbox.wait_for(2)
    assert sorted(m.recipients[0] for m in mails) == ["dpo@example.com", "vagt@example.com"]
    body = mails[0].text
    assert "lead-1 (Teamleder) viste 50 værdier inden for 1 minut (grænse 50)" in body
    assert "lead-1 (Team lead) revealed 50 values within 1 minute (limit 50)" in body
    assert "https://datavagt.example/admin/alerts" in body
    assert mails[0].message["Subject"] == "Datavagt-alarm / Datavagt alert"
    assert len(webhook.bodies) == 1 and "revealed 50 values" in webhook.bodies[0]["text"]
    assert [d["channel"] for d in alert.deliveries] == ["console", "email", "email", "webhook"]
    assert all(d["ok"] for d in alert.deliveries)
    assert "dpo@example.com" not in json.dumps(alert.deliveries)  # addresses are not stored
    incident = db.session.get(Breach, alert.breach_id)
    assert incident.status == "suspected" and incident.source == "alert:bulk_reveal:lead-1"
    assert [e.details["operation"] for e in events("admin_action")] == ["alert_raised"]

    # The same burst seen again: nothing new. More reveals within the throttle: counted only.
    assert service.evaluate() == []
    _reveal(LEAD, 1)
    assert service.evaluate() == []
    db.session.commit()
    assert db.session.get(Alert, alert.id).occurrences == 2
    assert len(mailbox.settle(0.3)) == 2 and len(webhook.bodies) == 1
    # Past the throttle, a new burst is delivered again on the same open alert.
    _reveal(LEAD, 1)
    again = service.evaluate(utcnow() + timedelta(minutes=16))
    db.session.commit()
    assert [a.id for a in again] == [alert.id] and again[0].occurrences == 3
    assert len(mailbox.wait_for(4)) == 4 and len(webhook.bodies) == 2
    assert db.session.query(Breach).count() == 1  # still one suspected incident


def test_thresholds_are_per_role(alert_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    # An agent falls under `default`: 50 an hour.
    _reveal(Actor(id="agent-7", role="agent"), 49)
    assert service.evaluate() == []
    _reveal(Actor(id="agent-7", role="agent"), 1)
    assert [a.key for a in service.evaluate()] == ["bulk_reveal:agent-7"]
    # A team lead spreading 55 reveals over 5.5 minutes stays under 50 a minute.
    clock = [utcnow() - timedelta(minutes=10)]
    monkeypatch.setattr("plugin.audit.recorder.utcnow", lambda: clock[0])
    for _ in range(55):
        clock[0] += timedelta(seconds=6)
        _reveal(Actor(id="lead-2", role="team_lead"), 1)
    monkeypatch.undo()
    assert service.evaluate() == []


def test_acknowledge_then_a_new_burst_opens_a_new_alert(alert_app: Flask) -> None:
    client = alert_app.test_client()
    dpo = bearer(alert_app, "dpo", agent="dpo-anne")
    _reveal(LEAD, 50)
    alert = service.evaluate()[0]
    db.session.commit()
    listed = client.get("/api/alerts?status=open&lang=da", headers=dpo).get_json()
    assert [a["id"] for a in listed] == [alert.id] and "Teamleder" in listed[0]["title"]
    acked = client.post(f"/api/alerts/{alert.id}/ack", headers=dpo)
    assert acked.status_code == 200 and acked.get_json()["acknowledged_by"] == "dpo-anne"
    assert client.post(f"/api/alerts/{alert.id}/ack", headers=dpo).status_code == 409
    assert service.evaluate() == []  # the acknowledged burst does not come back
    _reveal(LEAD, 1)
    new = service.evaluate()
    db.session.commit()
    assert len(new) == 1 and new[0].id != alert.id and new[0].status == "open"
    operations = [e.details["operation"] for e in events("admin_action")]
    assert operations.count("alert_acknowledged") == 1


def test_mass_exports_failed_signins_and_audit_verification(alert_app: Flask) -> None:
    for _ in range(10):
        audit_record(EXPORT, actor=LEAD, details={"format": "json"})
    db.session.commit()
    assert [a.rule for a in service.evaluate()] == ["mass_export"]
    db.session.commit()
    client = alert_app.test_client()
    before = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
    for _ in range(20):
        token = csrf(client)
        refused = client.post("/admin/login", data={"token": "forged.token.x", "csrf_token": token})
        assert refused.status_code == 401
    raised = service.evaluate()
    db.session.commit()
    assert [a.key for a in raised] == ["failed_signins:admin_console"]
    assert (
        "20 afviste logins på administrationskonsollen" in service.as_dict(raised[0], "da")["title"]
    )
    # Forged sign-ins are counted, not audited: a flood cannot grow the trail.
    new = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.seq > before)).all()
    assert sorted(new) == ["admin_action", "breach_recorded"]  # the alert and its incident
    # A tampered audit event: the daily check raises an alert and opens an incident.
    first = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).first()
    db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.seq == first.seq).values(actor_id="someone-else")
    )
    db.session.commit()
    tampered = service.verify_audit_trail()
    db.session.commit()
    assert tampered is not None and tampered.rule == "audit_verification"
    assert db.session.get(Breach, tampered.breach_id).status == "suspected"


def test_failed_delivery_is_recorded_not_fatal(make_app, tmp_path: Path, webhook: Webhook) -> None:
    from tests.agents.helpers import custom_manifest

    webhook.status = 503
    manifest = custom_manifest(tmp_path, alerts={"email": ["dpo@example.com"]})
    app = make_app(
        manifest=manifest,
        smtp_host="127.0.0.1",
        smtp_port=9,
        smtp_from="alarm@example.com",
        alert_webhook_url=webhook.url,
    )
    with app.app_context():
        _reveal(Actor(id="agent-1", role="agent"), 50)
        alert = service.evaluate()[0]
        db.session.commit()
        channels = {(d["channel"], d["ok"]) for d in alert.deliveries}
        assert channels == {("console", True), ("email", False), ("webhook", False)}
        assert webhook.hits == 4  # the first try and three retries (urllib3 Retry)
        assert db.session.get(Alert, alert.id).status == "open"


def test_api_refuses_bad_requests(alert_app: Flask) -> None:
    client = alert_app.test_client()
    dpo = bearer(alert_app, "dpo")
    assert client.get("/api/alerts").status_code == 401
    assert client.get("/api/alerts", headers=bearer(alert_app, "team_lead")).status_code == 403
    assert client.post("/api/alerts/x/ack", headers=bearer(alert_app, "agent")).status_code == 403
    for query in ("status=closed", "lang=fr", "other=1"):
        response = client.get(f"/api/alerts?{query}", headers=dpo)
        assert response.status_code == 422 and response.get_json()["error"]["message"]
    assert client.post("/api/alerts/nobody/ack", headers=dpo).status_code == 404
    assert client.post(f"/api/alerts/{'x' * 5000}/ack", headers=dpo).status_code == 404
    big = client.post("/api/alerts/x/ack", headers=dpo, data="y" * 5000)
    assert big.status_code == 413


def test_webhook_setting_needs_https() -> None:
    with pytest.raises(ConfigError, match="DATAVAGT_ALERT_WEBHOOK_URL"):
        load_settings(environ={"DATAVAGT_ALERT_WEBHOOK_URL": "http://10.0.0.5/hook"})
    settings = load_settings(environ={"DATAVAGT_ALERT_WEBHOOK_URL": "https://hooks.example/x"})
    assert "hooks.example" not in repr(settings)  # the URL carries a secret


def test_console_badge_and_acknowledge_in_danish(alert_app: Flask) -> None:
    _reveal(LEAD, 50)
    alert = service.evaluate()[0]
    db.session.commit()
    client = alert_app.test_client()
    token = sign_in(alert_app, client)
    page = client.get("/admin/alerts?lang=da").get_data(as_text=True)
    assert 'id="alert-badge">1<' in page and "Alarmer" in page
    assert "viste 50 værdier inden for 1 minut" in page and "Formodet sikkerhedsbrud" in page
    forged = client.post(f"/admin/alerts/{alert.id}/ack")
    assert forged.status_code in (400, 403)
    done = client.post(f"/admin/alerts/{alert.id}/ack?lang=da", data={"csrf_token": token})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).acknowledged_by == "dpo-anne"
    assert 'id="alert-badge"' not in client.get("/admin/alerts").get_data(as_text=True)


def test_cli(cli_env: CliRunner, app: Flask) -> None:
    _reveal(Actor(id="agent-2", role="agent"), 50)
    watched = cli_env.invoke(cli, ["alerts", "watch", "--verify-audit"])
    assert watched.exit_code == 0, watched.output
    raised = json.loads(watched.output)
    assert [a["rule"] for a in raised] == ["bulk_reveal"]
    listed = json.loads(cli_env.invoke(cli, ["alerts", "list", "--status", "open"]).output)
    assert [a["id"] for a in listed] == [raised[0]["id"]]
    acked = cli_env.invoke(cli, ["alerts", "ack", raised[0]["id"], "--by", "dpo-anne"])
    assert acked.exit_code == 0 and json.loads(acked.output)["status"] == "acknowledged"
    again = cli_env.invoke(cli, ["alerts", "ack", raised[0]["id"], "--by", "dpo-anne"])
    assert again.exit_code == 1
    assert again.output.strip() == "datavagt: error: This alert is already acknowledged"
    assert cli_env.invoke(cli, ["alerts", "ack", "nobody", "--by", "x"]).exit_code == 1
    assert cli_env.invoke(cli, ["alerts", "--help"]).exit_code == 0


def test_breach_deadline_reminders_are_delivered(
    alert_app: Flask, mailbox: Mailbox, webhook: Webhook
) -> None:
    from plugin.breach import service as breaches

    incident = breaches.record(
        {"title": "Mistet bærbar", "detected_at": utcnow() - timedelta(hours=30)},
        Actor(id="dpo-anne", role="dpo"),
    )
    db.session.commit()
    short = incident.id[:8]
    breaches.watch_job(alert_app)
    breaches.watch_job(alert_app)  # not again
    db.session.expire_all()
    [alert] = db.session.query(Alert).all()
    assert alert.rule == "breach_deadline" and alert.breach_id is None
    assert db.session.query(Breach).count() == 1  # a reminder opens no incident
    body = mailbox.wait_for(2)[0].text
    assert f"Sikkerhedsbrud {short}: 48 timer tilbage til at anmelde" in body
    assert f"Incident {short}: 48 hours left to notify the Datatilsynet" in body
    assert "Mistet bærbar" not in body  # the incident's own words stay in the console
    assert len(webhook.bodies) == 1
