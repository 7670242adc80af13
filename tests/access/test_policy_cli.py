"""``datavagt policy show``: the effective matrix, overrides and mapping (counts only)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plugin.cli.main import cli


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "DATAVAGT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "DATAVAGT_KEY_FILE": str(tmp_path / "cli.keys"),
        "DATAVAGT_SCHEDULER": "off",
    }


def test_policy_show_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["policy", "show", "--format", "json"], env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []  # read from the manifest: no database or key file
    data = json.loads(result.output)
    assert data["matrix"]["agent"]["special"] == "hidden"
    assert data["matrix"]["team_lead"]["identity"] == "clear"
    assert data["overrides"] == {"hubspot.content": {"agent": "masked"}}
    assert data["agent_mapping"]["hubspot"] == {
        "default": "agent",
        "users": 0,
        "emails": 0,
        "groups": 0,
        "teams": 0,
    }


def test_policy_show_text_and_bad_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["policy", "show"], env=_env(tmp_path))
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == [
        "role",
        "identity",
        "contact",
        "location",
        "financial",
        "online",
        "special",
    ]
    assert "override hubspot.content: agent=masked" in result.output
    bad = CliRunner().invoke(cli, ["policy", "show", "--format", "xml"], env=_env(tmp_path))
    assert bad.exit_code == 2
