"""The CLI never surprises: one-line errors naming the fix, no files created by reads, one rule
for relative paths."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from plugin.cli.main import cli
from plugin.config import ROOT, load_settings
from plugin.keys import Keyring

READ_COMMANDS = [
    ["retention", "status"],
    ["db", "current"],
    ["audit", "verify"],
    ["consent", "texts"],
    ["requests", "list"],
    ["breach", "list"],
    ["processors", "list"],
    ["dpia", "list"],
    ["alerts", "list"],
    ["ropa", "versions"],
    ["backup", "epochs"],
    ["subject", "find", "--email", "someone@example.com"],
]


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and no DATAVAGT_* settings (a newcomer's shell)."""
    import os

    for name in [n for n in os.environ if n.startswith("DATAVAGT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="datavagt")


def _one_line_error(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("datavagt: error: ")
    assert " — " in lines[0]  # what went wrong — what to do about it
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_read_commands_create_no_files(bare: Path, command: list[str]) -> None:
    line = _one_line_error(_run(*command))
    assert "datavagt db upgrade" in line
    assert sorted(p.name for p in bare.iterdir()) == []  # no datavagt.db, .keys, .keys.lock


def test_unmigrated_database_names_the_upgrade(bare: Path) -> None:
    assert _run("db", "upgrade").exit_code == 0
    assert _run("db", "downgrade", "base").exit_code == 0
    line = _one_line_error(_run("retention", "status"))
    assert "not migrated" in line and "run `datavagt db upgrade`" in line
    assert _run("db", "upgrade").exit_code == 0
    assert _run("retention", "status").exit_code == 0


def test_reads_leave_no_lock_file(bare: Path) -> None:
    assert _run("db", "upgrade").exit_code == 0
    for leftover in bare.glob("*.lock"):
        leftover.unlink()
    before = sorted(p.name for p in bare.iterdir())
    assert _run("retention", "status").exit_code == 0
    assert _run("db", "current").exit_code == 0
    assert sorted(p.name for p in bare.iterdir()) == before


def test_key_file_is_read_without_a_lock(tmp_path: Path) -> None:
    path = tmp_path / "datavagt.keys"
    created = Keyring(path)
    (tmp_path / "datavagt.keys.lock").unlink()
    assert Keyring(path).index_key == created.index_key
    assert not (tmp_path / "datavagt.keys.lock").exists()
    with pytest.raises(Exception, match="no key file at"):
        Keyring(tmp_path / "other.keys", create=False).index_key  # noqa: B018
    assert not (tmp_path / "other.keys").exists()


def test_missing_key_file_beside_existing_database(bare: Path) -> None:
    assert _run("db", "upgrade").exit_code == 0
    (bare / "datavagt.keys").unlink()
    line = _one_line_error(_run("retention", "status"))
    assert "no key file at" in line and "DATAVAGT_KEY_FILE" in line
    assert not (bare / "datavagt.keys").exists()


@pytest.mark.skipif(not shutil.which("git") or not (ROOT / ".git").exists(), reason="no git")
def test_files_created_beside_the_database_are_ignored_by_git() -> None:
    names = [
        "datavagt.db",
        "datavagt.keys",
        "datavagt.keys.lock",
        "datavagt.db-wal",
        "x.db-shm",
        "datavagt-scheduler.lock",
        "datavagt-erasures.jsonl",
        "datavagt-demo/.datavagt-demo",
    ]
    ignored = subprocess.run(
        ["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert sorted(ignored) == sorted(names)


def test_relative_paths_resolve_against_the_working_directory(bare: Path) -> None:
    settings = load_settings(
        environ={"DATAVAGT_DATABASE_URL": "sqlite:///data/x.db", "DATAVAGT_KEY_FILE": "k.keys"}
    )
    assert settings.database_url == f"sqlite:///{bare / 'data' / 'x.db'}"
    assert settings.key_file == bare / "k.keys"
    # Default key file beside a relative database: also from the working directory.
    beside = load_settings(environ={"DATAVAGT_DATABASE_URL": "sqlite:///data/x.db"})
    assert beside.key_file == bare / "data" / "datavagt.keys"
    # Untouched: absolute and in-memory SQLite, PostgreSQL.
    for url in (f"sqlite:///{bare}/a.db", "sqlite://", "postgresql+psycopg://u@h/db"):
        assert load_settings(environ={"DATAVAGT_DATABASE_URL": url}).database_url == url


def test_relative_sqlite_url_is_not_flask_instance_folder(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", "sqlite:///rel.db")
    assert _run("db", "upgrade").exit_code == 0
    assert (bare / "rel.db").exists()
    assert not (ROOT / "instance").exists() or not (ROOT / "instance" / "rel.db").exists()
    assert "(head)" in _run("db", "current").output


def test_usage_errors_are_one_line(bare: Path) -> None:
    line = _one_line_error(_run("retention", "status", "--bogus"), code=2)
    assert "--bogus" in line and "datavagt retention status --help" in line
    line = _one_line_error(_run("nosuch"), code=2)
    assert "datavagt --help" in line


def test_group_without_command_prints_its_help(bare: Path) -> None:
    result = _run("retention")
    assert "status" in result.output and "datavagt: error" not in result.output


def test_unexpected_exception_is_one_line_without_its_text(
    cli_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.retention import outbox

    def boom() -> None:
        raise RuntimeError("jens@example.com broke it")

    monkeypatch.setattr(outbox, "counts", boom)
    result = cli_env.invoke(cli, ["retention", "status"], prog_name="datavagt")
    line = _one_line_error(result)
    assert "RuntimeError" in line and "DATAVAGT_DEBUG=1" in line
    assert "jens@example.com" not in result.output


def test_database_error_is_one_line_without_its_statement(
    cli_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.retention import outbox

    def broken() -> None:
        raise sa.exc.OperationalError("SELECT 'jens@example.com'", {}, ValueError("x"))

    monkeypatch.setattr(outbox, "counts", broken)
    result = cli_env.invoke(cli, ["retention", "status"], prog_name="datavagt")
    line = _one_line_error(result)
    assert "database error" in line and "datavagt db current" in line
    assert "jens@example.com" not in result.output
