"""Simulator webhook delivery: vendor retry rules and Dynamics' 256 KB cut."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask, request

from simulators.common.server import SimulatorServer
from simulators.dynamics.simulator import DynamicsSimulator


@pytest.fixture
def receiver() -> Iterator[tuple[SimulatorServer, list[dict[str, object]], list[int]]]:
    """A bare HTTP endpoint answering with queued statuses and recording calls."""
    app = Flask("receiver")
    seen: list[dict[str, object]] = []
    statuses: list[int] = []

    @app.post("/hook")
    def hook() -> tuple[str, int]:
        seen.append(
            {
                "headers": dict(request.headers),
                "args": dict(request.args),
                "body": request.get_json(),
            }
        )
        return "", statuses.pop(0) if statuses else 200

    with SimulatorServer(app) as server:
        yield server, seen, statuses


def test_dynamics_retries_once_on_503_only(receiver: tuple[SimulatorServer, list, list]) -> None:  # type: ignore[type-arg]
    server, seen, statuses = receiver
    with DynamicsSimulator(webhook_url=f"{server.url}/hook") as sim:
        statuses.extend([503, 503, 400])
        sim.add_incident("a", "b")  # 503, retried once, 503: given up
        sim.add_incident("c", "d")  # 400: not retried
        assert sim.flush_webhooks()
        assert [d.status for d in sim.deliveries] == [503, 503, 400]
        assert seen[0]["args"] == {"code": sim.webhook_key}
        assert seen[0]["headers"]["X-Ms-Dynamics-Entity-Name"] == "incident"  # type: ignore[index]


def test_dynamics_drops_context_over_256_kb(receiver: tuple[SimulatorServer, list, list]) -> None:  # type: ignore[type-arg]
    server, seen, _ = receiver
    with DynamicsSimulator(webhook_url=f"{server.url}/hook") as sim:
        sim.add_incident("big", "x" * (300 * 1024))
        assert sim.flush_webhooks()
        body = seen[0]["body"]
        assert isinstance(body, dict) and "InputParameters" not in body
        assert seen[0]["headers"]["X-Ms-Dynamics-Msg-Size-Exceeded"] == "true"  # type: ignore[index]
        assert len(json.dumps(body)) < 256 * 1024


def test_dynamics_http_header_auth_option(receiver: tuple[SimulatorServer, list, list]) -> None:  # type: ignore[type-arg]
    server, seen, _ = receiver
    with DynamicsSimulator(webhook_url=f"{server.url}/hook", webhook_header="X-Api-Key") as sim:
        sim.add_contact("A", "B", "a@b.dk")
        assert sim.flush_webhooks()
        assert seen[0]["headers"]["X-Api-Key"] == sim.webhook_key  # type: ignore[index]
        assert seen[0]["args"] == {}
