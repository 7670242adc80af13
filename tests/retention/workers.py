"""Dispatcher worker processes for the crash and scale-out tests (real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from plugin.config import ROOT


def write_config(path: Path, database_url: str, key_file: str, **extra: Any) -> Path:
    """A DATAVAGT_CONFIG file the worker processes read."""
    config = {
        "database_url": database_url,
        "key_file": key_file,
        "scheduler": "off",
        "log_level": "WARNING",
        **extra,
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def spawn(config: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``datavagt retention dispatch ARGS`` with only our configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    env["DATAVAGT_CONFIG"] = str(config)
    return subprocess.Popen(
        [sys.executable, "-m", "plugin.cli.main", "retention", "dispatch", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def done_count(database_url: str) -> int:
    """Jobs done so far, read on a separate connection."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    sa.text("SELECT count(*) FROM outbox_jobs WHERE status = 'done'")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def wait_for(predicate: Any, timeout: float, interval: float = 0.05) -> bool:
    """Poll until ``predicate()`` is true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def finish(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, str, str]:
    """Wait for a worker to exit; returns (exit code, stdout, stderr tail)."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out.decode(errors="replace"), err.decode(errors="replace")[-2000:]
