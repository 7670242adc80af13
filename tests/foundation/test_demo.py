"""`datavagt demo` brings up simulators and the sidecar, ingests seeded tickets, prints URLs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from plugin.config import ROOT


def _demo(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "plugin.cli.main",
            "demo",
            "--no-wait",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def _linked_tickets_alive(database: Path) -> None:
    """The ticket per vendor the start page opens (the first one with findings) is still
    there and its person not erased: the demo's retention run and erasure left it alone."""
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT t.vendor, t.deleted_at, s.erased_at FROM tickets t "
                "JOIN data_subjects s ON s.id = t.subject_id WHERE t.id IN ("
                "  SELECT min(t2.id) FROM tickets t2 JOIN findings f ON f.ticket_id = t2.id"
                "  GROUP BY t2.vendor)"
            )
        ).all()
    engine.dispose()
    assert sorted(r[0] for r in rows) == ["dynamics", "freshdesk", "hubspot"]
    assert all(r[1] is None and r[2] is None for r in rows), rows


def test_demo_seeds_ingests_and_prints_urls(tmp_path: Path) -> None:
    result = _demo(tmp_path / "demo")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    ingested = re.search(r"Ingested (\d+) of (\d+) seeded tickets: (\d+) pieces", out)
    assert ingested, out
    tickets, seeded, findings = map(int, ingested.groups())
    assert seeded >= 15 and tickets == seeded and findings > 0
    # One short start page instead of a wall of token links.
    start = re.search(r"^Start page \(roles, customers, forms, mail viewer\): (\S+)$", out, re.M)
    assert start and re.fullmatch(r"http://127\.0\.0\.1:\d+/demo/[A-Za-z0-9_-]{8}/", start[1])
    assert "token" not in out.replace("tokens in the", "") and "/portal/login/" not in out
    assert len(out) < 4000, len(out)
    # The seeded customers, and the environment line the CLI hints need.
    assert re.search(r"^  Mette Jørgensen\s+mette\.jorgensen@example\.dk$", out, re.M), out
    assert "(erased by the demo)" in out
    data = (tmp_path / "demo").resolve()
    assert (
        f"export DATAVAGT_DATABASE_URL=sqlite:///{data / 'datavagt.db'} "
        f"DATAVAGT_KEY_FILE={data / 'datavagt.keys'} DATAVAGT_PUBLIC_URL=http://127.0.0.1:"
    ) in out
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
    _linked_tickets_alive(tmp_path / "demo" / "datavagt.db")

    # A second run reuses the data: nothing is seeded or counted twice.
    again = _demo(tmp_path / "demo")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Ingested" not in again.stdout and "Retention run" not in again.stdout
    reused = re.search(
        r"Reusing the demo data from an earlier run in .*: (\d+) tickets",
        again.stdout,
    )
    assert reused and 0 < int(reused[1]) <= seeded, again.stdout
    assert "Start page" in again.stdout
    _linked_tickets_alive(tmp_path / "demo" / "datavagt.db")

    # --reset starts over.
    fresh = _demo(tmp_path / "demo", "--reset")
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert f"Ingested {seeded} of {seeded} seeded tickets" in fresh.stdout


def test_demo_never_wipes_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("precious")
    # Not even a folder holding a Datavagt database and key file (a real installation's).
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "datavagt.db").write_bytes(b"")
    (tmp_path / "live" / "datavagt.keys").write_text("{}")
    for folder in ("mine", "live"):
        result = _demo(tmp_path / folder, "--reset")
        assert result.returncode == 1
        assert result.stderr.strip().startswith("datavagt: error: --data-dir:")
    assert (tmp_path / "mine" / "thesis.txt").read_text() == "precious"
    assert (tmp_path / "live" / "datavagt.keys").read_text() == "{}"


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
