"""A third-party adapter installs through the `datavagt.adapters` entry point, like ours."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from plugin.config import ROOT

ADAPTER = """
from plugin.vendors.contract import Adapter


class ZendeskAdapter(Adapter):
    name = "zendesk"
    writable_fields = frozenset({"subject"})

    def __init__(self, settings):
        self.settings = dict(settings)

    @classmethod
    def from_settings(cls, settings):
        return cls(settings)

    @classmethod
    def required_settings(cls):
        return ("subdomain", "token")

    def _no(self, *args, **kwargs):
        raise NotImplementedError("not exercised by this test")

    verify_webhook = parse_webhook = get_ticket = iter_tickets = _no
    write_fields = delete_ticket = erase_contact = anonymise_contact = is_own_change = _no
"""
PROBE = """
from plugin.cli.context import build_app
app = build_app()
adapter = app.extensions["datavagt.adapters"].get("zendesk")
print(sorted(adapter.settings.items()) if adapter else "off")
"""


def _install(tmp_path: Path) -> Path:
    """A package plus dist-info on a path entry: what `pip install` of a plugin leaves."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "datavagt_zendesk.py").write_text(textwrap.dedent(ADAPTER))
    info = site / "datavagt_zendesk-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: datavagt-zendesk\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[datavagt.adapters]\nzendesk = datavagt_zendesk:ZendeskAdapter\n"
    )
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    manifest["depends"].append("zendesk")
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    shutil.copytree(ROOT / "forms", tmp_path / "forms")  # the manifest names files beside it
    return site


def _probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    site = _install(tmp_path)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    environ.update(
        PYTHONPATH=f"{site}{os.pathsep}{ROOT}",
        DATAVAGT_MANIFEST=str(tmp_path / "manifest.yaml"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_configured_third_party_adapter_is_built(tmp_path: Path) -> None:
    result = _probe(tmp_path, DATAVAGT_ZENDESK_SUBDOMAIN="acme", DATAVAGT_ZENDESK_TOKEN="t0k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('subdomain', 'acme'), ('token', 't0k')]"


def test_unconfigured_third_party_adapter_is_off(tmp_path: Path) -> None:
    result = _probe(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "off"


def test_partly_configured_third_party_adapter_names_the_variable(tmp_path: Path) -> None:
    result = _probe(tmp_path, DATAVAGT_ZENDESK_SUBDOMAIN="acme")
    assert result.returncode == 1
    assert "DATAVAGT_ZENDESK_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
