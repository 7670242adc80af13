"""``datavagt subject erase ID``: Art. 17 erasure fanned out to every vendor."""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.cli.context import fail, with_app


@click.command("erase")
@click.argument("subject_id")
@click.option("--reason", default="Art. 17 request", show_default=True, help="Why (audited).")
@click.option("--actor", default="cli", show_default=True, help="Who asked (audited).")
@with_app
def erase(app: Flask, subject_id: str, reason: str, actor: str) -> None:
    """Erase SUBJECT_ID everywhere: vendor jobs, vault shred, signed certificate."""
    # Imported here so `datavagt --help` stays fast and independent of the erasure module.
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.service import request_erasure

    try:
        summary = request_erasure(subject_id, actor_id=actor, reason=reason)
    except ErasureError as exc:
        fail(exc.message)
        return
    click.echo(json.dumps(summary, indent=2, sort_keys=True))
