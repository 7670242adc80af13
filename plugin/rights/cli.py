"""``datavagt subject find`` and ``subject export``: added to the subject group."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask

from plugin.auth.guard import Actor
from plugin.cli.context import fail, with_app


@click.command("find")
@click.option("--email", help="E-mail address.")
@click.option("--phone", help="Phone number.")
@click.option("--vendor-id", help="'<vendor>:<contact id>'.")
@with_app
def find(app: Flask, email: str | None, phone: str | None, vendor_id: str | None) -> None:
    """Find a person across all vendors; prints subject ids and what is held (no values)."""
    from plugin.rights import lookup, restrictions
    from plugin.rights.errors import RightsError

    try:
        subjects = lookup.find(email, phone, vendor_id)
    except RightsError as exc:
        fail(exc.message)
        return
    if not subjects:
        fail("no subject holds that identifier")
    for subject in subjects:
        row = lookup.describe(subject) | {"restrictions": restrictions.active(subject.id)}
        click.echo(json.dumps(row, indent=2))


@click.command("export")
@click.argument("subject_id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "html"]), default="json")
@click.option("--lang", type=click.Choice(["da", "en"]), default="en", show_default=True)
@click.option("--actor", default="cli", show_default=True, help="Who exports (audited).")
@with_app
def export(app: Flask, subject_id: str, out: Path, fmt: str, lang: str, actor: str) -> None:
    """Write the signed Art. 15/20 export of SUBJECT_ID to FILE (0600)."""
    from plugin.rights import export as exporter
    from plugin.rights.errors import RightsError

    try:
        envelope = exporter.export(subject_id, Actor(id=actor, role="dpo", source="cli"), fmt, lang)
    except RightsError as exc:
        fail(exc.message)
        return
    text = (
        exporter.render_html(envelope, lang)
        if fmt == "html"
        else json.dumps(envelope, indent=2, ensure_ascii=False)
    )
    # The file holds personal data in clear: readable by its owner only.
    out.touch(mode=0o600, exist_ok=True)
    out.chmod(0o600)
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out} ({len(envelope['export']['tickets'])} tickets, signed)")


@click.command("orphans")
@with_app
def orphans(app: Flask) -> None:
    """List subjects nothing can find (no identifier) and verified identifiers two people hold.

    Prints JSON (ids and identifier kinds, no values); exits 1 when any is found.
    """
    from plugin.subjects.integrity import find_orphans

    found = find_orphans()
    click.echo(
        json.dumps(
            {
                "without_identifier": list(found.without_identifier),
                "shared_verified": [
                    {"kind": kind, "subjects": list(ids)} for kind, ids in found.shared_verified
                ],
            },
            indent=2,
        )
    )
    if found:
        raise SystemExit(1)
