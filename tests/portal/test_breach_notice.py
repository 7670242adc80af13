"""Art. 34: a high-risk incident is told to each affected person through My pages, once."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.auth.guard import Actor
from plugin.breach import service
from plugin.extensions import db
from plugin.models import Breach, SecureMessage
from tests.agents.helpers import bearer, events
from tests.portal.conftest import PUBLIC_URL
from tests.portal.helpers import login
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import EMAIL, OTHER_EMAIL, Customer, seed_customer


def _incident(high_risk: bool = True, categories: tuple[str, ...] = ("identity",)) -> Breach:
    breach = service.record(
        {
            "title": "Mistet bærbar med kundeudtræk",
            "description": "En bærbar med et udtræk af sager blev stjålet.",
            "categories": list(categories),
            "consequences": "Risiko for identitetstyveri.",
            "measures": "Spær dit NemID og hold øje med dine konti.",
            "high_risk": high_risk,
        },
        Actor(id="dpo-anne", role="dpo"),
    )
    db.session.commit()
    return breach


def test_affected_persons_get_the_message_in_my_pages(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    seed_customer(portal_app, email=OTHER_EMAIL, external_id="9002", name="Ole Berg")
    breach = _incident()
    client = portal_app.test_client()
    dpo = bearer(portal_app, "dpo", agent="dpo-anne")
    url = f"/api/breaches/{breach.id}/notify-subjects"
    early = client.post(url, headers=dpo)
    assert early.status_code == 409 and "Confirm" in early.get_json()["error"]["message"]
    client.patch(f"/api/breaches/{breach.id}", headers=dpo, json={"status": "confirmed"})
    sent = client.post(url, headers=dpo)
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert sent.get_json() == {"notified": 2, "mailed": 2}
    assert client.post(url, headers=dpo).status_code == 409  # once only
    notices = mailbox.wait_for(2)
    assert {m.recipients[0] for m in notices} == {EMAIL, OTHER_EMAIL}
    assert f"{PUBLIC_URL}/portal/messages" in notices[0].text
    assert "identitetstyveri" not in notices[0].text  # the notice only says a message waits
    assert db.session.query(SecureMessage).filter_by(direction="out").count() == 2
    shown = client.get(f"/api/breaches/{breach.id}", headers=dpo).get_json()
    assert shown["subjects_notified"] == 2 and shown["subjects_notified_at"]
    assert len([e for e in events("message_sent")]) == 2
    # The person reads it in My pages, in Danish and English.
    portal = portal_app.test_client()
    login(portal, mailbox, EMAIL)
    page = portal.get("/portal/messages").get_data(as_text=True)
    assert "Spær dit NemID og hold øje med dine konti." in page
    assert "Risiko for identitetstyveri." in page


def test_only_high_risk_and_only_the_affected(portal_app: Flask, customer: Customer) -> None:
    low = _incident(high_risk=False)
    service.update(low, {"status": "confirmed"}, Actor(id="dpo", role="dpo"))
    with pytest.raises(service.BreachError, match="high-risk"):
        service.notify_subjects(
            low, Actor(id="dpo", role="dpo"), portal_app.extensions["datavagt.manifest"]
        )
    other = _incident(categories=("special",))  # the seeded customer has no Art. 9 finding
    service.update(other, {"status": "confirmed"}, Actor(id="dpo", role="dpo"))
    addresses = service.notify_subjects(
        other, Actor(id="dpo", role="dpo"), portal_app.extensions["datavagt.manifest"]
    )
    db.session.commit()
    assert addresses == [] and other.subjects_notified == 0
    client = portal_app.test_client()
    dpo = bearer(portal_app, "dpo")
    assert client.post("/api/breaches/nobody/notify-subjects", headers=dpo).status_code == 404
    assert client.post(f"/api/breaches/{low.id}/notify-subjects").status_code == 401
    forbidden = client.post(
        f"/api/breaches/{low.id}/notify-subjects", headers=bearer(portal_app, "team_lead")
    )
    assert forbidden.status_code == 403
