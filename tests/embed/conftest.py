import importlib.util
from pathlib import Path

import pytest

EMBED = Path(__file__).resolve().parents[2] / "static" / "embed"


@pytest.fixture(scope="session")
def embed_build():
    """static/embed/build.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location("embed_build", EMBED / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
