"""`datavagt simulate <vendor>`: run one vendor simulator in the foreground."""

from __future__ import annotations

import importlib
import inspect
import threading
from typing import Any

import click

from plugin.vendors import registry
from plugin.vendors.errors import UnknownAdapterError


def simulator_class(vendor: str) -> type[Any]:
    """The simulator of an adapter found by entry point.

    Built-in vendors keep theirs in ``simulators.<vendor package>.simulator``; a third-party
    adapter package may ship a ``simulator`` module beside its adapter module.
    """
    adapter = registry.adapter_class(vendor)
    package = adapter.__module__.rsplit(".", 1)[0]
    candidates = [f"{package}.simulator"]
    if package.startswith("adapters."):
        candidates.insert(0, f"simulators.{package.removeprefix('adapters.')}.simulator")
    module = None
    for name in candidates:
        try:
            module = importlib.import_module(name)
            break
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise UnknownAdapterError(f"adapter {vendor!r} ships no simulator") from exc
    if module is None:
        raise UnknownAdapterError(f"adapter {vendor!r} ships no simulator")
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if getattr(cls, "vendor", None) == vendor and hasattr(cls, "seed_demo"):
            return cls
    raise UnknownAdapterError(f"adapter {vendor!r} ships no simulator")


@click.command("simulate")
@click.argument("vendor")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=0, show_default=True, help="Port (0 picks a free one).")
@click.option("--rate-limit", type=int, default=None, help="Requests per window before 429.")
@click.option("--rate-window", type=float, default=None, help="Window length in seconds.")
@click.option("--fail-rate", type=float, default=0.0, show_default=True, help="Share of 5xx.")
@click.option("--latency", type=float, default=0.0, show_default=True, help="Seconds per call.")
@click.option("--webhook-url", default=None, help="Sidecar URL to send webhooks to.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="Load demo tickets.")
def simulate(
    vendor: str,
    host: str,
    port: int,
    rate_limit: int | None,
    rate_window: float | None,
    fail_rate: float,
    latency: float,
    webhook_url: str | None,
    seed: bool,
) -> None:
    """Run a Freshdesk, HubSpot or Dynamics simulator until interrupted."""
    try:
        cls = simulator_class(vendor)
    except UnknownAdapterError as exc:
        raise click.BadParameter(str(exc), param_hint="VENDOR") from exc
    if not 0.0 <= fail_rate <= 1.0:
        raise click.BadParameter("must be between 0 and 1", param_hint="--fail-rate")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "fail_rate": fail_rate,
        "latency": latency,
        "webhook_url": webhook_url,
    }
    if rate_limit is not None:
        options["rate_limit"] = rate_limit
    if rate_window is not None:
        options["rate_window"] = rate_window
    sim = cls(**options).start()
    try:
        if seed:
            sim.seed_demo()
        click.echo(f"{vendor} simulator on {sim.url} (control API: {sim.url}/_sim/config)")
        for key, value in sim.sidecar_settings().items():
            click.echo(f"DATAVAGT_{vendor.upper()}_{key.upper()}={value}")
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        sim.stop()
