"""``datavagt erasure verify SUBJECT``: what each vendor still holds of an erased person."""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.cli.context import fail, with_app

STATUS_TEXT = {
    "clean": "nothing left / intet tilbage",
    "expected": "only copies the certificate names, before their date / kun kopier, som "
    "certifikatet nævner, før deres dato",
    "unexpected": "STILL HELD, not on the certificate / FINDES STADIG, ikke på certifikatet",
    "unreachable": "could not ask the vendor / leverandøren kunne ikke spørges",
    "kept": "kept until the date on the certificate (Art. 17(3)) / opbevares til datoen på "
    "certifikatet (art. 17, stk. 3)",
}


@click.group("erasure")
def erasure_group() -> None:
    """Art. 17 erasure: check what the vendors still hold."""


@erasure_group.command("verify")
@click.argument("subject_id")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_app
def verify_command(app: Flask, subject_id: str, as_json: bool) -> None:
    """Ask each vendor, per erased ticket and contact, which stores still hold it.

    Exit 0 when nothing is left but copies the certificate names (before their date);
    exit 2 when something unexpected is still held or a vendor could not be asked.
    """
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.verify import verify_erasure

    try:
        report = verify_erasure(subject_id)
    except ErasureError as exc:
        fail(exc.message)
        return
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        for item in report["items"]:
            click.echo(
                f"{item['vendor']} {item['object_type']} {item['object_ref']}: "
                f"{STATUS_TEXT[item['status']]}"
            )
            for store in item.get("found", []):
                note = f" (until / indtil {store['until']})" if store["until"] else ""
                click.echo(f"  - {store['store']}{note}")
        total = len(report["items"])
        click.echo(f"{total} objects checked / objekter tjekket, {report['unexpected']} problems")
    if not report["ok"]:
        raise SystemExit(2)
