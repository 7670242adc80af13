"""`datavagt demo` brings up simulators and the sidecar, ingests seeded tickets, prints URLs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from plugin.config import ROOT


def test_demo_seeds_ingests_and_prints_urls(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "plugin.cli.main",
            "demo",
            "--no-wait",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path / "demo"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    ingested = re.search(r"Ingested (\d+) of (\d+) seeded tickets: (\d+) pieces", out)
    assert ingested, out
    tickets, seeded, findings = map(int, ingested.groups())
    assert seeded >= 15 and tickets == seeded and findings > 0
    for vendor in ("freshdesk", "hubspot", "dynamics"):
        assert f"{vendor} ticket " in out
    for role in ("agent", "senior_agent", "team_lead", "dpo", "admin"):
        assert re.search(rf"^\s+{role}\s+http://127\.0\.0\.1:\d+/widget/\?vendor=", out, re.M)
    # Tokens ride in the fragment, never in a query string that proxies would log.
    assert not re.search(r"\?[^#\s]*token=", out)
    assert re.search(r"^\s+Mette\s+http://127\.0\.0\.1:\d+/portal/", out, re.M), out
    retention = re.search(r"Retention run: (\d+) tickets back-dated.*'done': (\d+)", out)
    assert retention, out
    assert int(retention.group(1)) == int(retention.group(2)) > 0
    # The demo erases one person; the certificate names what remains where, until when.
    assert re.search(
        r"Erasure of one person \(subject [0-9a-f-]{36}\): certificate "
        r"pending_expiry until \d{4}-\d\d-\d\d",
        out,
    ), out
    assert re.search(r"^  vault: destroyed$", out, re.M)
    assert re.search(r"^  freshdesk trash: remains until \d{4}-\d\d-\d\d$", out, re.M)
    assert re.search(r"^  backups: remains until \d{4}-\d\d-\d\d$", out, re.M)
    assert re.search(r"^  audit trail: kept until \d{4}-\d\d-\d\d$", out, re.M)
    assert (tmp_path / "demo" / "datavagt.db").exists()
    assert (tmp_path / "demo" / "datavagt.keys").stat().st_mode & 0o777 == 0o600


def test_demo_reports_busy_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "plugin.cli.main",
                "demo",
                "--no-wait",
                "--port",
                str(port),
                "--data-dir",
                str(tmp_path / "demo"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("datavagt: error: --port")
    assert "Traceback" not in result.stderr
