"""Forms fixtures: each vendor simulator over real HTTP, and apps configured to use it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from simulators.common.base import VendorSimulator
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator

SPEC_DIR = Path(__file__).resolve().parent.parent / "adapters" / "specs" / "hubspot"
VENDORS = ("freshdesk", "hubspot", "dynamics")


@dataclass
class Vendor:
    """A running simulator and the sidecar settings that point an adapter at it."""

    name: str
    sim: Any
    settings: dict[str, str]

    def tickets(self) -> list[dict[str, Any]]:
        """Ticket subject and body as the vendor holds them."""
        if self.name == "freshdesk":
            return [
                {"subject": t["subject"], "body": t["description"], "id": str(t["id"])}
                for t in self.sim.tickets.values()
            ]
        if self.name == "hubspot":
            return [
                {
                    "subject": t["properties"].get("subject"),
                    "body": t["properties"].get("content"),
                    "id": t["id"],
                }
                for t in self.sim.tickets.values()
            ]
        return [
            {"subject": t["title"], "body": t["description"], "id": t["incidentid"]}
            for t in self.sim.incidents.values()
        ]

    def contacts_text(self) -> str:
        """Every contact record as text, to look for personal data in clear."""
        return repr(list(self.sim.contacts.values()))


def _start(name: str) -> tuple[VendorSimulator, dict[str, str]]:
    if name == "freshdesk":
        fd = FreshdeskSimulator().start()
        return fd, {
            "base_url": fd.url,
            "api_key": fd.api_key,
            "webhook_user": fd.webhook_user,
            "webhook_password": fd.webhook_password,
        }
    if name == "hubspot":
        hs = HubSpotSimulator(spec_dir=SPEC_DIR).start()
        return hs, {
            "base_url": hs.url,
            "token": hs.token,
            "client_secret": hs.client_secret,
            "app_id": str(hs.app_id),
        }
    dyn = DynamicsSimulator().start()
    return dyn, {
        "org_url": dyn.url,
        "tenant_id": dyn.aad.tenant_id,
        "client_id": dyn.aad.client_id,
        "client_secret": dyn.aad.client_secret,
        "authority_url": dyn.url,
        "webhook_key": dyn.webhook_key,
    }


@pytest.fixture(params=VENDORS)
def vendor(request: pytest.FixtureRequest) -> Iterator[Vendor]:
    """Each vendor simulator in turn (empty account)."""
    sim, settings = _start(request.param)
    try:
        yield Vendor(request.param, sim, settings)
        assert getattr(sim, "contract_errors", []) == []
    finally:
        sim.stop()


@pytest.fixture
def freshdesk_vendor() -> Iterator[Vendor]:
    """Only the Freshdesk simulator (for tests that need one vendor)."""
    sim, settings = _start("freshdesk")
    try:
        yield Vendor("freshdesk", sim, settings)
    finally:
        sim.stop()


@pytest.fixture
def forms_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Build an app wired to one vendor; keyword arguments override settings."""

    def build(v: Vendor, **overrides: Any) -> Flask:
        return make_app(**{v.name: v.settings, **overrides})

    return build
