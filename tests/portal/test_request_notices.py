"""Telling the person (My pages + the "a message waits" e-mail): an extension with its reason
(Art. 12(3)), a restriction about to be lifted (Art. 18(3)), the recipients told (Art. 19)."""

from __future__ import annotations

from flask import Flask

from plugin.auth.guard import Actor
from plugin.rights import requests, restrictions
from plugin.rights.requests import add_months
from tests.agents.helpers import events
from tests.portal.conftest import PUBLIC_URL
from tests.portal.helpers import login
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import EMAIL, Customer
from tests.rights.test_request_workflow import bodies

DPO = Actor(id="dpo-anne", role="dpo")


def test_extension_is_told_to_the_person(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    made = requests.create("access", DPO, subject_id=customer.subject_id)
    before = len(mailbox.received)
    row = requests.extend(made.id, 2, "Mange sager i flere systemer / many cases", DPO)
    assert row.due_on == add_months(row.received_on, 3)
    notice = mailbox.wait_for(before + 1)[-1]
    assert notice.recipients == [EMAIL] and f"{PUBLIC_URL}/portal/messages" in notice.text
    assert "Mange sager" not in notice.text  # the e-mail only says a message waits
    (body,) = bodies(customer.subject_id)
    assert "Vi forlænger fristen med 2 måned(er)" in body and "Art. 12(3)" in body
    assert "Mange sager i flere systemer" in body and row.due_on.isoformat() in body
    # Visible in My pages.
    portal = portal_app.test_client()
    login(portal, mailbox, EMAIL)
    page = portal.get("/portal/messages").get_data(as_text=True)
    assert "We need more time for your request" in page
    assert "Vi har brug for mere tid til din anmodning" in page


def test_person_told_before_a_restriction_is_lifted(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    flag = restrictions.restrict(customer.subject_id, "restriction", "accuracy", DPO, "support")
    before = len(mailbox.received)
    lifted = restrictions.lift(flag.id, "Oplysningerne er bekræftet korrekte", DPO)
    assert lifted.lift_notice_at is not None and lifted.lift_notice_at <= lifted.lifted_at
    (body,) = bodies(customer.subject_id)
    assert "Begrænsningen ophæves nu" in body and "Art. 18(3)" in body
    assert "Customer support" in body and "Oplysningerne er bekræftet korrekte" in body
    assert mailbox.wait_for(before + 1)[-1].recipients == [EMAIL]
    # The trail: the message, the notice, then the lift, in that order.
    trail = [
        "message"
        if e.action == "message_sent"
        else "notice"
        if e.details.get("lift_notice")
        else "lifted"
        if e.details.get("lifted")
        else "set"
        for e in events()
        if e.subject_id == customer.subject_id and e.action in ("message_sent", "restrict")
    ]
    assert trail == ["set", "message", "notice", "lifted"]
