"""The stand-alone inclusion check in docs/audit.md (no Datavagt code) accepts our proofs and
rejects forged ones: what we tell auditors is what works."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from plugin.audit.checkpoints import checkpoint_if_due
from plugin.auth import issue_token
from plugin.config import ROOT
from plugin.extensions import db
from tests.audit.helpers import seed


def _script() -> str:
    page = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    found = re.search(r"```python\n(# check_inclusion\.py.*?)```", page, re.S)
    assert found, "docs/audit.md lost its inclusion-check script"
    return found.group(1)


def test_readme_script_checks_a_proof(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    seed(11)
    checkpoint_if_due(force=True)
    db.session.commit()
    token = issue_token(app.extensions["datavagt.keyring"], agent="dpo-1", role="dpo")
    script = tmp_path / "check_inclusion.py"
    script.write_text(_script(), encoding="utf-8")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(client.get("/.well-known/jwks.json").get_json()))

    def run(proof: dict) -> subprocess.CompletedProcess:
        path = tmp_path / "proof.json"
        path.write_text(json.dumps(proof), encoding="utf-8")
        # Outside the project: the script imports nothing of ours.
        return subprocess.run(
            [sys.executable, "-I", str(script), str(path), str(jwks)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    for seq in (1, 6, 11):
        response = client.get(
            f"/api/audit/proofs/inclusion?seq={seq}", headers={"Authorization": f"Bearer {token}"}
        )
        proof = response.get_json()
        done = run(proof)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"event {seq} is in the signed log of 11 events"
    forged = json.loads(json.dumps(proof))
    forged["event"]["reason"] = "changed"
    assert "event edited" in run(forged).stderr
    forged = json.loads(json.dumps(proof))
    forged["inclusion_path"].reverse()
    assert "not in the signed tree" in run(forged).stderr
