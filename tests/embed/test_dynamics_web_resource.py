"""The Dynamics web resource loads MSAL from a file beside it, pinned by SRI.

Issue 22: msal-browser 2.38.3 came from Microsoft's CDN without ``integrity``, so a changed
CDN file would run with the agent's Azure AD session. Now the page loads the bundled copy
with a sha384 ``integrity`` (W3C Subresource Integrity) that must match the file shipped.
"""

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "static" / "embed" / "dynamics"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def _scripts():
    parser = _Scripts()
    parser.feed((ROOT / "datavagt_widget.html").read_text(encoding="utf-8"))
    return [s for s in parser.scripts if s.get("src")]


def test_every_external_script_is_local_and_pinned_by_sri():
    scripts = _scripts()
    assert scripts, "the page loads MSAL"
    for script in scripts:
        src = script["src"]
        assert not re.match(r"^(https?:)?//", src), f"{src} must be bundled, not from a CDN"
        algorithm, _, digest = script["integrity"].partition("-")
        assert algorithm == "sha384"
        body = (ROOT / src).read_bytes()
        assert base64.b64decode(digest) == hashlib.sha384(body).digest(), src
        assert script["crossorigin"] == "anonymous"


def test_the_bundled_file_is_msal_browser_with_its_licence():
    (script,) = _scripts()
    head = (ROOT / script["src"]).read_text(encoding="utf-8")[:200]
    assert head.startswith("/*! @azure/msal-browser v2.38.3 ")
    assert "MIT License" in (ROOT / "msal-browser-2.38.3.LICENSE").read_text(encoding="utf-8")
