"""Bad configuration ends start-up with one clear line and exit 1, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plugin.config import ROOT, ConfigError, load_settings


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "plugin.cli.main", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _bad_manifest(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    mutate(data)
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("datavagt: error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_unreachable_database(tmp_path: Path) -> None:
    result = _run(
        ["db", "current"],
        tmp_path,
        DATAVAGT_DATABASE_URL="postgresql://someone:s3cret@127.0.0.1:1/nothing",
    )
    _assert_one_line_error(result, "DATAVAGT_DATABASE_URL", "cannot connect")
    assert "s3cret" not in result.stderr


def test_malformed_yaml(tmp_path: Path) -> None:
    config = tmp_path / "datavagt.yaml"
    config.write_text("database_url: [unclosed\n")
    result = _run(["db", "current"], tmp_path, DATAVAGT_CONFIG=str(config))
    _assert_one_line_error(result, "DATAVAGT_CONFIG", "not valid YAML")


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (
            lambda d: d["purposes"]["support"].update(legal_basis="vibes"),
            "purposes.support.legal_basis",
        ),
        (lambda d: d.pop("controller"), "controller"),
        (lambda d: d["roles"]["agent"].update(implies=["ghost"]), "roles.agent.implies"),
        (
            lambda d: d["jobs"]["inbox_worker"].update(schedule="every now and then"),
            "jobs.inbox_worker.schedule",
        ),
        (lambda d: d.update(surprise=1), "surprise"),
    ],
)
def test_invalid_manifest(tmp_path: Path, mutate, needle: str) -> None:  # type: ignore[no-untyped-def]
    manifest = _bad_manifest(tmp_path, mutate)
    result = _run(["db", "current"], tmp_path, DATAVAGT_MANIFEST=str(manifest))
    _assert_one_line_error(result, needle)


def test_unknown_adapter(tmp_path: Path) -> None:
    manifest = _bad_manifest(tmp_path, lambda d: d["depends"].append("zendesk"))
    result = _run(["db", "current"], tmp_path, DATAVAGT_MANIFEST=str(manifest))
    _assert_one_line_error(result, "zendesk")


def test_partly_configured_vendor(tmp_path: Path) -> None:
    result = _run(["db", "current"], tmp_path, DATAVAGT_HUBSPOT_CLIENT_SECRET="x")
    _assert_one_line_error(result, "DATAVAGT_HUBSPOT_")


def test_corrupt_key_file(tmp_path: Path) -> None:
    (tmp_path / "datavagt.keys").write_text("not json")
    result = _run(["db", "current"], tmp_path)
    _assert_one_line_error(result, "DATAVAGT_KEY_FILE")


def test_serve_refuses_unmigrated_database(tmp_path: Path) -> None:
    result = _run(["serve", "--port", "1"], tmp_path)
    _assert_one_line_error(result, "datavagt db upgrade")


def test_first_run_creates_database_and_private_key_file(tmp_path: Path) -> None:
    result = _run(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "datavagt.db").exists()
    assert (tmp_path / "datavagt.keys").stat().st_mode & 0o777 == 0o600
    assert "(head)" in _run(["db", "current"], tmp_path).stdout
    # Purposes and consent wording are mirrored from the manifest, once (idempotent).
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    texts = _run(["consent", "texts"], tmp_path).stdout.splitlines()
    assert texts and len(texts) == len(set(texts))


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert _run(["db", "downgrade"], tmp_path).returncode == 2


def test_settings_precedence(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "log_level: debug\npublic_url: https://yaml.example\nhubspot: {token: from-yaml}\n"
    )
    settings = load_settings(
        {"public_url": "https://override.example"},
        environ={
            "DATAVAGT_CONFIG": str(config),
            "DATAVAGT_LOG_LEVEL": "warning",
            "DATAVAGT_HUBSPOT_CLIENT_SECRET": "env-secret",
        },
    )
    assert settings.log_level == "WARNING"  # environment beats YAML
    assert settings.public_url == "https://override.example"  # explicit beats environment
    assert settings.vendor("hubspot") == {"token": "from-yaml", "client_secret": "env-secret"}
    assert settings.database_url.startswith("sqlite:///")
    assert settings.key_file.name == "datavagt.keys"


def test_settings_reject_bad_values() -> None:
    with pytest.raises(ConfigError, match="DATAVAGT_MAX_REQUEST_BYTES"):
        load_settings(environ={"DATAVAGT_MAX_REQUEST_BYTES": "lots"})
    with pytest.raises(ConfigError, match="DATAVAGT_DATABASE_URL"):
        load_settings(environ={"DATAVAGT_DATABASE_URL": "datavagt.db"})


def test_postgresql_url_uses_psycopg3() -> None:
    settings = load_settings(environ={"DATAVAGT_DATABASE_URL": "postgresql://u@h/db"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_serve_answers_under_gunicorn(tmp_path: Path) -> None:
    import socket
    import time

    import requests

    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATAVAGT_")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plugin.cli.main",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        cwd=tmp_path,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.3)
        assert response.status_code == 200 and response.json()["status"] == "ready"
        missing = requests.get(f"http://127.0.0.1:{port}/nope?email=a@b.dk", timeout=5)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert b"a@b.dk" not in stderr  # the access log names routes, never paths or queries
