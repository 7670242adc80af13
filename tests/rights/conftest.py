"""Fixtures: the three vendor simulators and an app whose adapters point at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator
from tests.rights.seeding import Person, Sims, seed_person, vendor_settings


@pytest.fixture
def sims() -> Iterator[Sims]:
    """Freshdesk, HubSpot and Dynamics simulators on free ports (empty accounts)."""
    with FreshdeskSimulator() as fd, HubSpotSimulator() as hs, DynamicsSimulator() as dy:
        yield Sims(fd, hs, dy)  # type: ignore[arg-type]


@pytest.fixture
def vendor_app(make_app: Callable[..., Flask], sims: Sims) -> Iterator[Flask]:
    """An app with all three adapters configured, inside an app context."""
    # Erasure jobs run when a test dispatches them, not in a thread outliving the test.
    app = make_app(erasure_dispatch="off", **vendor_settings(sims))
    with app.app_context():
        yield app
    for adapter in app.extensions["datavagt.adapters"].values():
        adapter.close()


@pytest.fixture
def person(vendor_app: Flask, sims: Sims) -> Person:
    """A person with a ticket in each vendor, their e-mail and CPR vaulted and tokenised."""
    return seed_person(vendor_app, sims)
