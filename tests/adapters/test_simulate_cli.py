"""`datavagt simulate`: simulators are found beside adapters, through entry points."""

from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner

from plugin.cli.simulate import simulate, simulator_class


@pytest.mark.parametrize("vendor", ["freshdesk", "hubspot", "dynamics"])
def test_each_vendor_has_a_simulator_with_control_api(vendor: str) -> None:
    sim = simulator_class(vendor)(rate_limit=5, rate_window=1.0).start()
    try:
        ids = requests.post(f"{sim.url}/_sim/seed", timeout=5).json()
        assert len(ids["tickets"]) == 5
        config = requests.post(f"{sim.url}/_sim/config", json={"latency": 0.01}, timeout=5).json()
        assert config["latency"] == 0.01 and config["rate_limit"] == 5
        assert (
            requests.post(f"{sim.url}/_sim/config", json={"nope": 1}, timeout=5).status_code == 400
        )
        assert isinstance(requests.get(f"{sim.url}/_sim/calls", timeout=5).json(), list)
        assert requests.post(f"{sim.url}/_sim/reset", timeout=5).status_code == 204
        assert (
            set(sim.sidecar_settings()) >= {"base_url"} | set()
            or "org_url" in sim.sidecar_settings()
        )
    finally:
        sim.stop()


def test_unknown_vendor_is_a_usage_error() -> None:
    result = CliRunner().invoke(simulate, ["zendesk"])
    assert result.exit_code == 2 and "zendesk" in result.output
