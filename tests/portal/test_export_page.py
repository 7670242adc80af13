"""The Art. 15 export as a DPO hands it over, from My pages: messages, (a)-(h), words, signed.

A customer with a case (CPR in its description), a form field, a consent and a secure
conversation downloads the readable export in Danish and English, and the portable copy.
"""

from __future__ import annotations

import html as markup
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from plugin.auth.guard import Actor
from plugin.cli.main import cli
from plugin.extensions import db
from plugin.messages import service as messages
from plugin.models import Finding, Ticket
from plugin.vault import get_vault
from tests.forms.test_notice import CODES as NOTICE_CODES
from tests.portal.helpers import login
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import CPR, EMAIL, Customer

AGENT = Actor(id="agent-7", role="agent", vendor="freshdesk", vendor_user="u-77")
FROM_US = "Hej Karen, vi har modtaget din klage over leveringen."
FROM_YOU = "Tak. Pakken kom frem i dag, men den var åbnet."
FORM_PHONE = "+45 20 30 40 50"

# Internal identifiers a customer must never read: the Art. 13 notice's manifest codes plus
# the export's own (finding types, identifier kinds, field names, audit actions, roles,
# request and restriction states, vendor keys, employee and vendor user ids).
INTERNAL = tuple(c for c in NOTICE_CODES if c != "_") + (
    "person_name",
    "postal_address",
    "date_of_birth",
    "ip_address",
    "payment_card",
    "bank_account",
    "vendor_contact",
    "delete_ticket",
    "not_stored",
    "message_sent",
    "request_created",
    "request_updated",
    "team_lead",
    "senior_agent",
    "legal_basis",
    "freshdesk:",
    "form.",
    "agent-7",
    "u-77",
    "contract",
    "Datavagt",
)
# Manifest words that exist only in English: a Danish page must not show them.
ENGLISH_ONLY = (
    "Customer support",
    "Newsletter and offers",
    "Complaint handling",
    "Legal basis",
    "Deleted by",
    "processor",
    "None",
)
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def conversation(portal_app: Flask, customer: Customer) -> Customer:
    """A form field on the case, a message from the centre and the customer's answer."""
    ticket = db.session.get(Ticket, customer.ticket_id)
    assert ticket is not None
    item = get_vault().encrypt(
        customer.subject_id, FORM_PHONE, field="form.phone", kind="phone", ticket_id=ticket.id
    )
    db.session.add(
        Finding(
            ticket_id=ticket.id,
            subject_id=customer.subject_id,
            field="form.phone",
            type="phone",
            category="contact",
            start=0,
            end=len(FORM_PHONE),
            score=1.0,
            detector="form",
            vault_item_id=item.id,
            masked="[TLF]",
            written_back=True,
        )
    )
    sent, _ = messages.store_for_subject(AGENT, customer.subject_id, FROM_US)
    db.session.commit()
    messages.reply(customer.subject_id, sent.id, FROM_YOU)
    return customer


@pytest.fixture
def signed_in(
    portal_app: Flask, conversation: Customer, mailbox: Mailbox
) -> tuple[FlaskClient, str]:
    client = portal_app.test_client()
    return client, login(client, mailbox, EMAIL)


def _page(client: FlaskClient, token: str, lang: str) -> str:
    response = client.post(
        f"/portal/requests/export?lang={lang}", data={"csrf_token": token, "format": "html"}
    )
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].endswith('.html"')
    return response.get_data(as_text=True)


def _visible(html: str) -> str:
    """The words a reader sees: no style, no signature token, no tags."""
    html = re.sub(r"<style>.*?</style>|<code>.*?</code>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", markup.unescape(html))


def test_danish_export_has_the_messages_and_every_art15_item(
    signed_in: tuple[FlaskClient, str],
) -> None:
    client, token = signed_in
    page = _page(client, token, "da")
    text = _visible(page)
    # Every message, decrypted, in order, with direction and date.
    assert FROM_US in text and FROM_YOU in text
    assert text.index(FROM_US) < text.index(FROM_YOU)
    assert "Fra: Os" in text and "Fra: Dig" in text
    assert re.search(r"Fra: Os · \d{1,2}\. [a-zæøå]+ \d{4} \d\d:\d\d", text)
    # Values with their source (Art. 15(1)(g)).
    assert CPR in text and FORM_PHONE in text and EMAIL in text
    assert "formularen, du sendte" in text and "din henvendelse af" in text
    # (a)-(h), each in words.
    for heading in (
        "(a) Hvorfor vi behandler dine oplysninger: formål og retsgrundlag",
        "(b) Hvilke slags personoplysninger",
        "(c) Hvem de er delt med",
        "(d) Hvor længe vi opbevarer dem",
        "(e) Dine rettigheder",
        "(f) Din ret til at klage",
        "(g) Hvor oplysningerne kommer fra",
        "(h) Automatiske afgørelser",
    ):
        assert heading in text, heading
    assert "Kundeservice" in text and "art. 6, stk. 1, litra b" in text  # (a)
    assert "Identitet (navn, CPR-nummer, fødselsdato)" in text  # (b)
    assert "Freshworks Inc." in text and "databehandler" in text  # (c)
    assert "365 dage efter, at sagen er afsluttet; derefter slettes sagen" in text  # (d)
    assert "berigtig" in text or "rettet (art. 16)" in text  # (e)
    assert "Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby" in text  # (f)
    assert "Vi træffer ingen automatiske afgørelser om dig" in text  # (h)
    # Who accessed: a role, never the employee id.
    assert "Medarbejder i kundeservice" in text and "sendte en sikker besked" in text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_internal_code_where_the_customer_looks(
    signed_in: tuple[FlaskClient, str], conversation: Customer, lang: str
) -> None:
    client, token = signed_in
    text = _visible(_page(client, token, lang))
    found = [code for code in INTERNAL if code in text]
    assert found == []
    assert SNAKE.findall(text) == []
    assert conversation.subject_id not in text
    if lang == "da":
        assert [w for w in ENGLISH_ONLY if w in text] == []
    else:
        assert "(a) Why we process your data: purposes and legal basis" in text
        assert "Customer support" in text and "Datatilsynet" in text


def test_page_verifies_like_the_json(
    portal_app: Flask, signed_in: tuple[FlaskClient, str], tmp_path: Path, database_url: str
) -> None:
    client, token = signed_in
    page = tmp_path / "mine-data.html"
    page.write_bytes(_page(client, token, "da").encode("utf-8"))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(client.get("/.well-known/jwks.json").get_json()), encoding="utf-8")
    runner = CliRunner()
    env = {"DATAVAGT_DATABASE_URL": database_url, "DATAVAGT_SCHEDULER": "off"}
    ok = runner.invoke(cli, ["verify", str(page), "--jwks", str(jwks)], env=env)
    assert ok.exit_code == 0, ok.output
    assert "access export page (da)" in ok.output and "signature valid" in ok.output
    forged = tmp_path / "forged.html"
    forged.write_text(page.read_text(encoding="utf-8").replace(FROM_YOU, "Alt var fint."))
    bad = runner.invoke(cli, ["verify", str(forged), "--jwks", str(jwks)], env=env)
    assert bad.exit_code == 1 and "changed after it was signed" in bad.output
    assert "Traceback" not in bad.output


def test_portability_json_and_csv_hold_what_the_person_gave(
    signed_in: tuple[FlaskClient, str],
) -> None:
    client, token = signed_in
    as_json = client.post("/portal/requests/portability", data={"csrf_token": token})
    assert as_json.status_code == 200 and as_json.mimetype == "application/json"
    assert "attachment" in as_json.headers["Content-Disposition"]
    body = as_json.get_json()
    assert body["type"] == "datavagt.portability"
    items = {(i["kind"], i["value"]) for i in body["items"]}
    assert ("form", FORM_PHONE) in items and ("message", FROM_YOU) in items
    assert ("identifier", EMAIL) in items
    assert "consent" in {i["kind"] for i in body["items"]}
    # Only what the person provided: not our message, not what an agent's case text held.
    assert FROM_US not in as_json.text and CPR not in as_json.text
    as_csv = client.post(
        "/portal/requests/portability", data={"csrf_token": token, "format": "csv"}
    )
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    lines = as_csv.get_data(as_text=True).splitlines()
    assert lines[0] == "kind,at,field,type,value,case"
    assert any(FROM_YOU in line for line in lines) and any(FORM_PHONE in line for line in lines)


def test_portability_refuses_bad_requests(
    portal_app: Flask, signed_in: tuple[FlaskClient, str]
) -> None:
    client, token = signed_in
    bad = client.post("/portal/requests/portability", data={"csrf_token": token, "format": "xml"})
    assert bad.status_code == 422 and "Traceback" not in bad.text
    bad = client.post("/portal/requests/export", data={"csrf_token": token, "format": "pdf"})
    assert bad.status_code == 422
    assert client.post("/portal/requests/portability", data={}).status_code == 403
    huge = client.post(
        "/portal/requests/portability", data={"csrf_token": token, "format": "x" * 200000}
    )
    assert huge.status_code in (413, 422)
    anonymous = portal_app.test_client().post("/portal/requests/portability")
    assert anonymous.status_code == 302 and anonymous.location.endswith("/portal/login")
