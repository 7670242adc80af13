"""Render the CRM packages in this folder for one Datavagt installation.

The sources carry ``{{DATAVAGT_PUBLIC_URL}}`` (and ``{{DATAVAGT_SUPPORT_EMAIL}}``) where the
installation's values go, so no made-up host is ever uploaded to a CRM:

    python static/embed/build.py hubspot --public-url https://datavagt.acme.dk \
        --support-email dpo@acme.dk --out build/hubspot

The output folder is what ``hs project upload`` (HubSpot) is run in. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
PACKAGES = ("hubspot",)
TOKEN = re.compile(r"\{\{(DATAVAGT_[A-Z_]+)\}\}")
TEXT_SUFFIXES = {".json", ".jsx", ".js", ".html", ".css", ".svg", ".md"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class BuildError(ValueError):
    """A value the package cannot be built with; the message says which and why."""


def public_url(value: str) -> str:
    """An https origin with no path, query or fragment (HubSpot's permittedUrls and the
    webhook targetUrl must be public https URLs)."""
    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise BuildError("--public-url must be an https:// URL, e.g. https://datavagt.acme.dk")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise BuildError("--public-url must be the origin only (no path, query or login)")
    if parts.hostname.endswith((".example.com", ".example")) or parts.hostname == "example.com":
        raise BuildError("--public-url is a documentation placeholder; use your real host")
    return f"https://{parts.netloc}"


def build(package: str, out: Path, values: dict[str, str]) -> list[Path]:
    """Copy ``package`` to ``out`` with every token filled in; returns the files written."""
    if package not in PACKAGES:
        raise BuildError(f"unknown package {package!r}; choose one of {', '.join(PACKAGES)}")
    source = HERE / package
    if out.exists():
        shutil.rmtree(out)
    written = []
    for path in sorted(source.rglob("*")):
        if path.is_dir() or "node_modules" in path.parts:
            continue
        target = out / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            missing = sorted({name for name in TOKEN.findall(text) if name not in values})
            if missing:
                raise BuildError(f"{path.name} needs {', '.join(missing)}")
            target.write_text(TOKEN.sub(lambda m: values[m.group(1)], text), encoding="utf-8")
        else:
            shutil.copyfile(path, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", choices=PACKAGES)
    parser.add_argument("--public-url", required=True, help="DATAVAGT_PUBLIC_URL")
    parser.add_argument("--support-email", required=True, help="shown to admins in HubSpot")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    try:
        if not EMAIL.match(args.support_email):
            raise BuildError("--support-email must be an e-mail address")
        values = {
            "DATAVAGT_PUBLIC_URL": public_url(args.public_url),
            "DATAVAGT_SUPPORT_EMAIL": args.support_email,
        }
        files = build(args.package, args.out, values)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.package}: {len(files)} files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
