"""The README's two commands: the demo, and one test script that CI runs verbatim."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from plugin.config import ROOT


def _code_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_readme_opens_with_the_demo_and_the_test_script() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = readme.split("\n## ", 1)[0]
    demo, tests = _code_blocks(top)[:2]
    assert demo.endswith(".venv/bin/datavagt demo")
    assert tests == ".ci/test"
    needed = ("Python ≥ 3.11", "user `postgres`", "database `test`", "DATAVAGT_TEST_POSTGRES_URL")
    for named in needed:
        assert named in top, named


def test_ci_runs_exactly_the_test_script() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line for line in run.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    # The README's test command as written, from the repository root.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = _code_blocks(readme.split("\n## ", 1)[0])[1]
    assert commands[-2:] == ['cd "$(dirname "$0")/.."', test_command]
    script = ROOT / ".ci" / "test"
    assert os.access(script, os.X_OK) and os.access(ROOT / ".ci" / "run", os.X_OK)
    text = script.read_text(encoding="utf-8")
    # What a fresh machine lacks: PostgreSQL started, chromium, the venv; then lint and tests.
    for step in (
        "pg_ctlcluster",
        "createdb",
        "apt-get install -y -qq chromium",
        "-m venv .venv",
        "pip install -q -e '.[test]'",
        "ruff check .",
        "ruff format --check .",
        'pytest "$@"',
    ):
        assert step in text, step


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_test_script_is_valid_bash() -> None:
    for name in ("test", "run"):
        result = subprocess.run(
            ["bash", "-n", str(ROOT / ".ci" / name)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
