"""Fixtures: the three vendor simulators over real HTTP and an app configured against them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from plugin.config import ROOT
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator


@pytest.fixture
def sims() -> Iterator[dict[str, Any]]:
    """Empty Freshdesk, HubSpot and Dynamics simulators on free ports."""
    started = {
        "freshdesk": FreshdeskSimulator().start(),
        "hubspot": HubSpotSimulator().start(),
        "dynamics": DynamicsSimulator().start(),
    }
    try:
        yield started
    finally:
        for sim in started.values():
            sim.stop()


def vendor_settings(sims: dict[str, Any]) -> dict[str, dict[str, str]]:
    """DATAVAGT_<VENDOR>_* settings pointing every adapter at its simulator."""
    fd, hs, dy = sims["freshdesk"], sims["hubspot"], sims["dynamics"]
    return {
        "freshdesk": {
            "base_url": fd.url,
            "api_key": fd.api_key,
            "webhook_user": fd.webhook_user,
            "webhook_password": fd.webhook_password,
        },
        "hubspot": {
            "base_url": hs.url,
            "token": hs.token,
            "client_secret": hs.client_secret,
            "app_id": str(hs.app_id),
        },
        "dynamics": {
            "org_url": dy.url,
            "authority_url": dy.url,
            "tenant_id": dy.aad.tenant_id,
            "client_id": dy.aad.client_id,
            "client_secret": dy.aad.client_secret,
            "webhook_key": dy.webhook_key,
        },
    }


def write_manifest(tmp_path: Path, **ingest: Any) -> str:
    """A copy of the shipped manifest with ``ingest`` keys overridden."""
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    data.setdefault("ingest", {}).update(ingest)
    # Sections may name files relative to the manifest (forms, texts): link them beside it.
    folder = tmp_path / "manifest"
    folder.mkdir(exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name != "manifest.yaml" and not (folder / entry.name).exists():
            (folder / entry.name).symlink_to(entry)
    path = folder / "manifest.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def ingest_app(
    make_app: Callable[..., Flask], sims: dict[str, Any], tmp_path: Path
) -> Iterator[Flask]:
    """An app (in its context) with all three vendors on the simulators, fast backoff."""
    manifest = write_manifest(tmp_path, backoff_seconds=0.01, backoff_cap_seconds=0.05)
    app = make_app(manifest=manifest, **vendor_settings(sims))
    with app.app_context():
        yield app
