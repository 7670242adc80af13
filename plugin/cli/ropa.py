"""``datavagt ropa``: the record of processing activities (Art. 30)."""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.cli.context import with_app


@click.command("ropa")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "html", "md"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@with_app
def ropa(app: Flask, fmt: str) -> None:
    """Print the record of processing from the manifest and live data."""
    from plugin.ropa.builder import build_ropa
    from plugin.ropa.render import render

    record = build_ropa(app.extensions["datavagt.manifest"])
    click.echo(json.dumps(record, indent=2) if fmt == "json" else render(record, fmt))
