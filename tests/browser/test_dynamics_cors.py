"""The Dynamics web resource, served from a second origin, completes the exchange via CORS.

The CRM side is a plain static server on another port (another origin) serving
static/embed/dynamics/ as Dynamics serves web resources; MSAL itself is replaced by a stub
that hands over a token the Dynamics simulator minted (the Azure AD sign-in is not what is
tested here). The page's own ``fetch`` to ``/auth/exchange/dynamics`` is cross-origin, so
the browser only lets it through when Datavagt answers the preflight for that origin.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask, send_from_directory
from playwright.sync_api import Page

from plugin.config import ROOT
from simulators.common.server import SimulatorServer
from simulators.dynamics.simulator import DynamicsSimulator

CLIENT_ID = "11111111-2222-4333-8444-555555555555"
CASE = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
FAKE_MSAL = """
(() => {
  const token = %s;
  const fake = { PublicClientApplication: function () {
    return {
      initialize: () => Promise.resolve(),
      ssoSilent: () => Promise.resolve({ account: { username: "agent@example.dk" } }),
      acquireTokenSilent: () => Promise.resolve({ accessToken: token }),
    };
  } };
  // The bundled msal-browser still loads (and must pass its integrity check); its UMD
  // wrapper's assignment to window.msal is ignored so the stub stays in place.
  Object.defineProperty(window, "msal", { get: () => fake, set: () => {} });
})();
"""


@pytest.fixture(scope="module")
def dynamics() -> Iterator[DynamicsSimulator]:
    sim = DynamicsSimulator(client_id=CLIENT_ID).start()
    yield sim
    sim.stop()


@pytest.fixture
def crm() -> Iterator[str]:
    """The CRM origin: static/embed/dynamics/ served as web resources."""
    site = Flask("crm")

    @site.get("/WebResources/datavagt/<path:name>")
    def resource(name: str):  # noqa: ANN202
        return send_from_directory(ROOT / "static" / "embed" / "dynamics", name)

    server = SimulatorServer(site, host="localhost").start()
    yield server.url
    server.stop()


@pytest.fixture
def sidecar(
    make_app: Callable[..., Flask], dynamics: DynamicsSimulator
) -> Iterator[Callable[..., str]]:
    """Start Datavagt (on 127.0.0.1, so another origin than the CRM) with extra settings."""
    servers: list[SimulatorServer] = []

    def start(**extra: object) -> str:
        servers.append(SimulatorServer(_app(make_app, dynamics, **extra)).start())
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()


def _app(make_app: Callable[..., Flask], dynamics: DynamicsSimulator, **extra: object) -> Flask:
    return make_app(
        dynamics={
            "org_url": dynamics.url,
            "tenant_id": dynamics.aad.tenant_id,
            "client_id": CLIENT_ID,
            "client_secret": "s",
            "webhook_key": "w",
            "authority_url": dynamics.url,
        },
        agent_mapping={"dynamics": {"default": "agent"}},
        **extra,
    )


def _open(page: Page, crm: str, sidecar: str, dynamics: DynamicsSimulator) -> None:
    token = dynamics.mint_user_token("agent@example.dk", audience=CLIENT_ID, oid="oid-9")
    page.add_init_script(FAKE_MSAL % json.dumps(token))
    data = urlencode(
        {
            "tenant": dynamics.aad.tenant_id,
            "spa": CLIENT_ID,
            "api": f"api://{CLIENT_ID}",
            "datavagt": sidecar,
        }
    )
    query = urlencode({"id": "{" + CASE.upper() + "}", "data": data, "userlcid": "1033"})
    page.goto(f"{crm}/WebResources/datavagt/datavagt_widget.html?{query}")


def test_exchange_from_the_crm_origin_goes_through_only_when_configured(
    page: Page, crm: str, sidecar: Callable[..., str], dynamics: DynamicsSimulator
) -> None:
    base = sidecar(crm_origins=crm, widget_frame_ancestors=[crm])
    assert crm.startswith("http://localhost:") and base.startswith("http://127.0.0.1:")
    with page.expect_response(
        lambda r: "/auth/exchange/dynamics" in r.url and r.request.method == "POST"
    ) as answer:
        _open(page, crm, base, dynamics)
    assert answer.value.status == 200
    frame = page.locator("#datavagt")
    frame.wait_for(state="visible")
    src = frame.get_attribute("src") or ""
    assert src.startswith(f"{base}/widget/?") and "#token=" in src
    assert page.locator("#status").text_content() == ""

    # The same page against a sidecar without DATAVAGT_CRM_ORIGINS: the browser blocks it.
    other = page.context.new_page()
    _open(other, crm, sidecar(), dynamics)
    other.locator("#status").filter(has_text="not available").wait_for()
    assert other.locator("#datavagt").is_hidden()
