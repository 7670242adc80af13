"""The outbound check that helps (issue 19): CPR, card, IBAN and Art. 9 data, never greetings.

A DPO found the old check noisy (every "Hej Mette" warned) and toothless (a plain reply with
a CPR number went out anyway). ``POST /api/outbound/reply`` is the gate a CRM reply path
(and the widget) calls before a plain e-mail goes: warn, require a confirmation or block,
as ``outbound_mode`` says, with a Danish and English message and the secure message offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent
from tests.agents.helpers import bearer

REPLY = "/api/outbound/reply"
CHECK = "/api/outbound/check"
CPR_REPLY = "Hej Mette, dit CPR-nummer 050482-1234 er nu rettet i vores system."
ORDINARY = [
    "Hej Mette, tak for din besked. Vi sender pakken i dag.",
    "Dear John, thanks for your message. We will ship the order today. Best regards, Anna",
    "Kære Jens Hansen\n\nDin ordre er afsendt.\n\nVenlig hilsen\nKundeservice",
    "Hello, I can confirm that your order was shipped. Kind regards, Customer Service",
]
FLAGGED = [
    (CPR_REPLY, ["cpr"], "et CPR-nummer"),
    ("Dear John, your IBAN DK5000400440116243 is noted.", ["iban"], "et IBAN-kontonummer"),
    ("Kortet 4111 1111 1111 1111 er trukket.", ["payment_card"], "et betalingskortnummer"),
    (
        "Kære Mette, vi har noteret, at du har diabetes.",
        ["special"],
        "følsomme oplysninger (art. 9, fx helbred)",
    ),
]


@pytest.fixture
def gate(make_app: Callable[..., Flask]) -> Iterator[Callable[..., Flask]]:
    """Apps in a given outbound mode (None: the default)."""
    contexts = []

    def build(mode: str | None = None) -> Flask:
        app = make_app(**({"outbound_mode": mode} if mode else {}))
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app

    yield build
    for context in reversed(contexts):
        context.pop()


def _post(app: Flask, path: str, **body: object):  # type: ignore[no-untyped-def]
    return app.test_client().post(path, json=body, headers=bearer(app, "agent", "agent-7"))


@pytest.mark.parametrize("mode", ["warn", "confirm", "block"])
@pytest.mark.parametrize("text", ORDINARY)
def test_greetings_and_the_recipients_name_are_never_flagged(
    gate: Callable[..., Flask], mode: str, text: str
) -> None:
    app = gate(mode)
    answer = _post(app, REPLY, text=text)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["allowed"] is True and body["decision"] == "ok" and body["flagged"] == []
    assert body["offer"] is None and "person_name" not in body["types"]
    check = _post(app, CHECK, text=text).get_json()
    assert check["recommendation"] == "plain_ok" and check["findings"] == []


@pytest.mark.parametrize(("text", "flagged", "danish"), FLAGGED)
def test_block_mode_refuses_cpr_card_iban_and_article_9_with_da_and_en_words(
    gate: Callable[..., Flask], text: str, flagged: list[str], danish: str
) -> None:
    app = gate("block")
    answer = _post(app, REPLY, text=text, confirmed=True)  # a confirmation does not help
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code"] == "outbound_blocked"
    assert danish in error["message"] and "må ikke sendes som almindelig e-mail" in error["message"]
    details = error["details"]
    assert details["flagged"] == flagged and details["offer"] == "secure_message"
    assert details["secure_message"] == {"method": "POST", "path": "/api/messages"}
    assert "may not be sent as a plain e-mail" in details["messages"]["en"]
    assert "secure message on My pages" in details["messages"]["en"]
    raw = answer.get_data(as_text=True)
    for secret in ("050482-1234", "DK5000400440116243", "4111 1111", "diabetes"):
        assert secret not in raw


def test_a_plain_reply_with_a_cpr_number_is_refused_in_english_too(
    gate: Callable[..., Flask],
) -> None:
    app = gate("block")
    answer = _post(app, REPLY, text=CPR_REPLY, ui_lang="en")
    assert answer.status_code == 422
    assert answer.get_json()["error"]["message"] == (
        "The reply holds a CPR number and may not be sent as a plain e-mail. "
        "Send it as a secure message on My pages."
    )


def test_confirm_mode_needs_a_confirmation_which_is_audited(gate: Callable[..., Flask]) -> None:
    app = gate("confirm")
    first = _post(app, REPLY, text=CPR_REPLY, vendor="freshdesk", ticket_id="9001")
    assert first.status_code == 409
    error = first.get_json()["error"]
    assert error["code"] == "confirmation_required" and "bekræft" in error["message"]
    assert not db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "outbound_confirmed")
    ).all()
    confirmed = _post(
        app, REPLY, text=CPR_REPLY, vendor="freshdesk", ticket_id="9001", confirmed=True
    )
    assert confirmed.status_code == 200 and confirmed.get_json()["allowed"] is True
    [event] = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "outbound_confirmed")
    ).all()
    assert event.actor_id == "agent-7" and event.ticket_ref == "freshdesk:9001"
    assert event.details == {"flagged": ["cpr"], "mode": "confirm"}


def test_warn_mode_lets_it_go_with_the_advice_and_the_default_is_confirm(
    gate: Callable[..., Flask],
) -> None:
    warn = _post(gate("warn"), REPLY, text=CPR_REPLY)
    assert warn.status_code == 200
    body = warn.get_json()
    assert body["decision"] == "warn" and body["offer"] == "secure_message"
    assert "Overvej at sende det som sikker besked" in body["messages"]["da"]
    assert _post(gate(), REPLY, text=CPR_REPLY).status_code == 409


def test_bad_input_is_a_clear_4xx(gate: Callable[..., Flask]) -> None:
    app = gate("block")
    assert _post(app, REPLY).status_code == 422
    assert _post(app, REPLY, text="x", ui_lang="de").status_code == 422
    assert _post(app, REPLY, text="x", confirmed="yes please").status_code == 422
    assert app.test_client().post(REPLY, json={"text": "x"}).status_code == 401
