"""The import direction of the ingest path (pyproject's import-linter contract) holds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert found, "lint-imports is not installed: pip install -e '.[test]'"
    return found


def test_ingest_never_imports_rights_or_erasure() -> None:
    # --no-cache: a stale cache from another checkout must not hide a new import.
    result = subprocess.run(
        [_lint_imports(), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "Ingest never reaches up into rights or erasure KEPT" in report
    assert "0 broken" in report
