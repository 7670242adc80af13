"""``datavagt subject erase ID``: Art. 17 erasure fanned out to every vendor."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask

from plugin.cli.context import fail, with_app


@click.command("erase")
@click.argument("subject_id")
@click.option("--reason", default="Art. 17 request", show_default=True, help="Why (audited).")
@click.option("--actor", default="cli", show_default=True, help="Who asked (audited).")
@click.option("--no-wait", is_flag=True, help="Only queue the vendor jobs; workers run them.")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds to wait at most.")
@click.option(
    "--certificate",
    "certificate_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the signed deletion certificate here once complete.",
)
@with_app
def erase(
    app: Flask,
    subject_id: str,
    reason: str,
    actor: str,
    no_wait: bool,
    timeout: float,
    certificate_path: Path | None,
) -> None:
    """Erase SUBJECT_ID everywhere: vendor jobs, vault shred, signed certificate."""
    # Imported here so `datavagt --help` stays fast and independent of the erasure module.
    from plugin.erasure.certificate import certificate_document
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.service import erasure_status, request_erasure
    from plugin.retention.dispatcher import Dispatcher

    try:
        status = request_erasure(subject_id, actor_id=actor, reason=reason, source="cli")
    except ErasureError as exc:
        fail(exc.message)
        return
    if not no_wait:
        Dispatcher(app, threads=2).run_until_idle(timeout=timeout)
        background = app.extensions.get("datavagt.erasure.kick")
        if background is not None:
            background.join(timeout)
        status = erasure_status(subject_id)
    click.echo(json.dumps(status, indent=2, sort_keys=True))
    if certificate_path is not None:
        try:
            document = certificate_document(subject_id)
        except ErasureError as exc:
            fail(f"no certificate yet: {exc.message}")
            return
        certificate_path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        click.echo(f"certificate written to {certificate_path}", err=True)
