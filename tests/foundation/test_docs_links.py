"""The README is the front page; the rest is in docs/ (issue 22). Every link from the README
into docs/ (and between docs pages) must lead to a page and heading that exist, every page
must be reachable, and `mkdocs build --strict` must fail on a broken link or anchor."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugin.config import ROOT

DOCS = ROOT / "docs"
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
    return [target for target in LINK.findall(text) if not re.match(r"^[a-z]+:", target)]


def _slug(heading: str) -> str:
    """Python-Markdown's toc slug (the ids MkDocs gives headings)."""
    text = re.sub(r"[`*_]", "", heading)
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m) for m in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def _resolve(source: Path, target: str) -> tuple[Path, str]:
    file_part, _, anchor = target.partition("#")
    return ((source.parent / file_part).resolve() if file_part else source), anchor


def test_every_readme_link_into_docs_resolves_to_a_page_and_heading() -> None:
    readme = ROOT / "README.md"
    links = [t for t in _links(readme) if t.startswith("docs/")]
    assert len(links) >= 10, "the README's table of contents points into docs/"
    for target in links:
        path, anchor = _resolve(readme, target)
        assert path.is_file(), f"README links to missing {target}"
        if anchor:
            assert anchor in _anchors(path), f"README links to missing heading {target}"


def test_links_between_docs_pages_resolve() -> None:
    for page in DOCS.rglob("*.md"):
        for target in _links(page):
            path, anchor = _resolve(page, target)
            assert path.is_file(), f"{page.relative_to(ROOT)} links to missing {target}"
            assert DOCS in path.parents, f"{page.relative_to(ROOT)}: {target} leaves docs/"
            if anchor:
                assert anchor in _anchors(path), f"{page.relative_to(ROOT)}: no heading {target}"


def test_every_docs_page_is_reachable_from_the_readme() -> None:
    seen: set[Path] = set()
    todo = [
        _resolve(ROOT / "README.md", t)[0]
        for t in _links(ROOT / "README.md")
        if t.startswith("docs/")
    ]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".md":
            continue
        seen.add(page)
        todo += [_resolve(page, t)[0] for t in _links(page)]
    missing = sorted(str(p.relative_to(ROOT)) for p in DOCS.rglob("*.md") if p not in seen)
    assert not missing, f"pages no link reaches: {missing}"


def test_readme_keeps_only_the_front_page_sections() -> None:
    """What it is, the two commands (above the first heading), the tour and the table of
    contents; a new capability's section goes to a page in docs/."""
    text = FENCE.sub("", (ROOT / "README.md").read_text(encoding="utf-8"))
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["What Datavagt is", "Five-minute tour", "Documentation"]


def _mkdocs(config_dir: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=config_dir,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )


@pytest.mark.parametrize("broken", ["missing-page.md", "audit.md#no-such-heading"])
def test_strict_build_passes_and_fails_on_a_broken_link(tmp_path: Path, broken: str) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DOCS, tmp_path / "docs")
    good = _mkdocs(tmp_path, tmp_path / "site")
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n[broken]({broken})\n")
    bad = _mkdocs(tmp_path, tmp_path / "site2")
    assert bad.returncode != 0
    assert broken.split("#")[-1] in bad.stderr


def test_ci_builds_the_docs_strictly() -> None:
    script = (ROOT / ".ci" / "test").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in script
    assert "mkdocs" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
