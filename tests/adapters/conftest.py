"""Fixtures: vendor simulators on free ports and adapters pointed at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.dynamics import DynamicsAdapter
from adapters.freshdesk import FreshdeskAdapter
from adapters.http import RetryPolicy
from adapters.hubspot import HubSpotAdapter
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator

SPEC_DIR = Path(__file__).parent / "specs" / "hubspot"
FAST_RETRY = RetryPolicy(max_retries=3, backoff_base=0.01, backoff_max=0.05, retry_after_max=2)
TIMEOUT = (1.0, 2.0)


@pytest.fixture
def freshdesk_sim() -> Iterator[FreshdeskSimulator]:
    """A Freshdesk simulator with the demo data."""
    with FreshdeskSimulator() as sim:
        sim.seed_demo()
        yield sim  # type: ignore[misc]


@pytest.fixture
def freshdesk(freshdesk_sim: FreshdeskSimulator) -> Iterator[FreshdeskAdapter]:
    """An adapter on the simulator, with fast retries."""
    adapter = FreshdeskAdapter(
        freshdesk_sim.url,
        freshdesk_sim.api_key,
        freshdesk_sim.webhook_user,
        freshdesk_sim.webhook_password,
        retry=FAST_RETRY,
        timeout=TIMEOUT,
    )
    yield adapter
    adapter.close()


@pytest.fixture
def hubspot_sim() -> Iterator[HubSpotSimulator]:
    """A HubSpot simulator checking traffic against the OpenAPI files."""
    with HubSpotSimulator(spec_dir=SPEC_DIR) as sim:
        sim.seed_demo()
        yield sim  # type: ignore[misc]
        assert sim.contract_errors == []


@pytest.fixture
def hubspot(hubspot_sim: HubSpotSimulator) -> Iterator[HubSpotAdapter]:
    """An adapter on the simulator, with fast retries."""
    adapter = HubSpotAdapter(
        hubspot_sim.url,
        hubspot_sim.token,
        hubspot_sim.client_secret,
        app_id=str(hubspot_sim.app_id),
        retry=FAST_RETRY,
        timeout=TIMEOUT,
    )
    yield adapter
    adapter.close()


@pytest.fixture
def dynamics_sim() -> Iterator[DynamicsSimulator]:
    """A Dynamics simulator (Dataverse + Azure AD)."""
    with DynamicsSimulator() as sim:
        sim.seed_demo()
        yield sim  # type: ignore[misc]


def dynamics_adapter(sim: DynamicsSimulator, **kwargs: object) -> DynamicsAdapter:
    """An adapter on a Dynamics simulator; kwargs override."""
    options: dict[str, object] = {
        "authority_url": sim.url,
        "retry": FAST_RETRY,
        "timeout": TIMEOUT,
    }
    options.update(kwargs)
    secret = str(options.pop("client_secret", sim.aad.client_secret))
    return DynamicsAdapter(
        sim.url, sim.aad.tenant_id, sim.aad.client_id, secret, sim.webhook_key, **options
    )  # type: ignore[arg-type]


@pytest.fixture
def dynamics(dynamics_sim: DynamicsSimulator) -> Iterator[DynamicsAdapter]:
    """An adapter on the simulator, with fast retries."""
    adapter = dynamics_adapter(dynamics_sim)
    yield adapter
    adapter.close()
