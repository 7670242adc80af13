"""The demo's start page: fresh links per click, the mail sink and its viewer."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from plugin.demo.start_page import StartPage, register
from plugin.mail import init_app as init_mail
from plugin.mail.sink import MailSink
from plugin.portal import links
from tests.portal.helpers import ask_link
from tests.portal.seeding import EMAIL, seed_customer


@pytest.fixture
def demo_app(make_app) -> Flask:  # type: ignore[no-untyped-def]
    app = make_app()
    page = StartPage()
    init_mail(app).sink = MailSink()
    register(app, page)
    with app.app_context():
        customer = seed_customer(app)
    page.tickets = {"freshdesk": customer.external_id}
    page.customers = [
        {"name": "Karen Holm", "email": EMAIL, "erased": False},
        {"name": "Gone Person", "email": "gone@example.dk", "erased": True},
    ]
    page.environment = "export DATAVAGT_DATABASE_URL=sqlite:////x/datavagt.db"
    app.extensions["test.page"] = page
    return app


def test_start_page_lists_roles_customers_forms_and_no_token_links(demo_app: Flask) -> None:
    page: StartPage = demo_app.extensions["test.page"]
    client = demo_app.test_client()
    html = client.get(page.path).get_data(as_text=True)
    for role in demo_app.extensions["datavagt.manifest"].roles:
        assert f'href="{page.path}widget/freshdesk/{role}"' in html
    assert EMAIL in html and f'href="{page.path}portal/0"' in html
    assert f'href="{page.path}portal/1"' not in html  # an erased customer gets no sign-in
    for form in demo_app.extensions["datavagt.manifest"].data.get("forms", {}):
        assert f'href="/forms/{form}"' in html
    assert f'href="{page.path}mail"' in html and "DATAVAGT_DATABASE_URL=" in html
    assert "token=" not in html and "/portal/login/" not in html  # minted on click only
    assert client.get("/demo/not-the-secret/").status_code == 404


def test_widget_link_mints_a_fresh_token_in_the_fragment(demo_app: Flask) -> None:
    page: StartPage = demo_app.extensions["test.page"]
    client = demo_app.test_client()
    first = client.get(f"{page.path}widget/freshdesk/agent")
    second = client.get(f"{page.path}widget/freshdesk/agent")
    assert first.status_code == 303
    location = first.headers["Location"]
    assert location.startswith("http://localhost/widget/?vendor=freshdesk&ticket=9001#token=")
    assert location != second.headers["Location"]
    token = location.split("#token=", 1)[1]
    api = client.get("/api/tickets/freshdesk/9001", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200, api.get_data(as_text=True)
    assert client.get(f"{page.path}widget/freshdesk/nobody").status_code == 404
    assert client.get(f"{page.path}widget/zendesk/agent").status_code == 404


def test_portal_link_signs_in_the_customer(demo_app: Flask) -> None:
    page: StartPage = demo_app.extensions["test.page"]
    client = demo_app.test_client()
    response = client.get(f"{page.path}portal/0")
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/portal/login/", 1)[1]
    with demo_app.app_context():
        assert links.redeem(token)
    assert client.get(f"{page.path}portal/1").status_code == 404  # erased
    assert client.get(f"{page.path}portal/7").status_code == 404


def test_portal_mail_lands_in_the_sink_and_the_viewer(demo_app: Flask) -> None:
    page: StartPage = demo_app.extensions["test.page"]
    client = demo_app.test_client()
    assert "No mail yet" in client.get(f"{page.path}mail").get_data(as_text=True)
    assert ask_link(client, EMAIL) in (200, 302, 303)
    sink = init_mail(demo_app).sink
    deadline = time.monotonic() + 10
    while not sink.messages() and time.monotonic() < deadline:
        time.sleep(0.05)
    [mail] = sink.messages()
    assert mail.to == EMAIL and "/portal/login/" in mail.text
    html = client.get(f"{page.path}mail").get_data(as_text=True)
    link = mail.text.split("http://localhost/portal/login/", 1)[1].split()[0]
    assert f'href="http://localhost/portal/login/{link}"' in html
    assert "1 message" in client.get(page.path).get_data(as_text=True)
