"""``datavagt ropa``: the record of processing activities (Art. 30), live or saved and signed.

``datavagt ropa --format json|html|md --lang da|en`` prints the live record;
``save`` stores a signed version, ``versions`` lists them, ``show N`` prints one (``--format
json`` is the signed file ``datavagt verify`` checks) and ``diff A B`` shows what changed.
"""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.auth.guard import Actor
from plugin.cli.context import fail, with_app
from plugin.ropa.i18n import LANGUAGES

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "html", "md", "pdf"]),
    default="md",
    show_default=True,
    help="Output format (pdf: binary, redirect it to a file).",
)
LANG = click.option(
    "--lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language."
)


@click.group("ropa", invoke_without_command=True)
@FORMAT
@LANG
@click.pass_context
def ropa(ctx: click.Context, fmt: str, lang: str) -> None:
    """Print the record of processing from the manifest and live data."""
    if ctx.invoked_subcommand is None:
        _live(fmt, lang)


@with_app
def _live(app: Flask, fmt: str, lang: str) -> None:
    from plugin.ropa.builder import build_ropa

    record = build_ropa(app.extensions["datavagt.manifest"], lang)
    _print(record, fmt)


def _print(record: dict, fmt: str, version: dict | None = None) -> None:
    from plugin.ropa.pdf import render_pdf
    from plugin.ropa.render import render

    if fmt == "pdf":
        click.echo(render_pdf(record, version=version), nl=False)  # bytes: binary stdout
    elif fmt == "json":
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        click.echo(render(record, fmt, version=version))


@ropa.command("save")
@click.option("--by", default="cli", show_default=True, help="Who saves it (for the audit trail).")
@with_app
def save(app: Flask, by: str) -> None:
    """Sign the current record (Danish and English) and store it as the next version."""
    from plugin.extensions import db
    from plugin.ropa import versions

    if not 0 < len(by) <= 128:
        fail("--by: 1 to 128 characters")
    row = versions.save_version(
        app.extensions["datavagt.manifest"],
        app.extensions["datavagt.keyring"],
        Actor(id=by, role="dpo", source="cli"),
    )
    db.session.commit()
    summary = versions.summary(row)
    click.echo(f"saved version {row.version} sha256={row.sha256} kid={summary['kid']}")


@ropa.command("versions")
@with_app
def versions_cmd(app: Flask) -> None:
    """List saved versions, newest first."""
    from plugin.ropa import versions

    for row in versions.list_versions():
        s = versions.summary(row)
        click.echo(f"{s['version']}\t{s['created_at']}\t{s['created_by']}\t{s['sha256']}")


@ropa.command("show")
@click.argument("version", type=click.IntRange(min=1))
@FORMAT
@LANG
@with_app
def show(app: Flask, version: int, fmt: str, lang: str) -> None:
    """Print saved VERSION: json is the signed file; html/md/pdf one language."""
    from plugin.ropa import versions

    row = versions.get_version(version)
    if row is None:
        fail(f"no saved version {version}")
    if fmt == "json":
        click.echo(json.dumps(versions.envelope(row), indent=2, ensure_ascii=False))
    else:
        _print(row.document["records"][lang], fmt, versions.summary(row))


@ropa.command("diff")
@click.argument("old", type=click.IntRange(min=1))
@click.argument("new", type=click.IntRange(min=1))
@LANG
@with_app
def diff_cmd(app: Flask, old: int, new: int, lang: str) -> None:
    """Print what changed from saved version OLD to NEW (JSON); exit 0 either way."""
    from plugin.ropa import versions

    rows = [versions.get_version(old), versions.get_version(new)]
    if rows[0] is None or rows[1] is None:
        fail(f"no saved version {old if rows[0] is None else new}")
    changes = versions.diff(rows[0].document["records"][lang], rows[1].document["records"][lang])
    click.echo(json.dumps({"from": old, "to": new, **changes}, indent=2, ensure_ascii=False))
