"""``datavagt subject erase ID``: Art. 17 erasure fanned out to every vendor.

The command only queues: the vendor jobs are run by the workers (``datavagt worker`` or a
serving process), never by this short-lived process, which could exit holding their leases
mid-call. Without ``--no-wait`` it waits for the workers to finish, up to ``--timeout``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask import Flask

from plugin.cli.context import fail, with_app

POLL_SECONDS = 0.5


@click.command("erase")
@click.argument("subject_id")
@click.option("--reason", default="Art. 17 request", show_default=True, help="Why (audited).")
@click.option("--actor", default="cli", show_default=True, help="Who asked (audited).")
@click.option(
    "--dry-run", is_flag=True, help="Show the scope (what goes, what is kept); change nothing."
)
@click.option("--no-wait", is_flag=True, help="Only queue the vendor jobs; workers run them.")
@click.option(
    "--timeout",
    default=600.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds to wait for the workers at most.",
)
@click.option(
    "--certificate",
    "certificate_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the signed deletion certificate here once the jobs are done.",
)
@with_app
def erase(
    app: Flask,
    subject_id: str,
    reason: str,
    actor: str,
    dry_run: bool,
    no_wait: bool,
    timeout: float,
    certificate_path: Path | None,
) -> None:
    """Erase SUBJECT_ID everywhere: vendor jobs, vault shred, signed certificate."""
    # Imported here so `datavagt --help` stays fast and independent of the erasure module.
    from plugin.erasure.certificate import certificate_document
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.service import erasure_status, preview_erasure, request_erasure
    from plugin.extensions import db

    if no_wait and certificate_path is not None:
        fail("--certificate needs the jobs done: drop --no-wait (or fetch it later)")
    try:
        if dry_run:
            click.echo(json.dumps(preview_erasure(subject_id), indent=2, sort_keys=True))
            return
        status = request_erasure(
            subject_id, actor_id=actor, reason=reason, source="cli", dispatch=False
        )
    except ErasureError as exc:
        fail(exc.message)
        return
    if no_wait:
        click.echo(json.dumps(status, indent=2, sort_keys=True))
        click.echo(
            f"{status['jobs']['pending']} job(s) queued; the workers (datavagt worker) run them",
            err=True,
        )
        return
    deadline = time.monotonic() + timeout
    while status["state"] == "in_progress" and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        db.session.rollback()  # a fresh snapshot: the workers commit in other processes
        status = erasure_status(subject_id)
    click.echo(json.dumps(status, indent=2, sort_keys=True))
    if status["state"] == "in_progress":
        jobs = status["jobs"]
        fail(
            f"no worker finished the erasure within {timeout:g}s: {jobs['pending']} job(s) "
            f"queued, {jobs['running']} running; they stay queued and nothing is lost. "
            "Start `datavagt worker` (or check it runs); `datavagt retention status` shows "
            "the queue"
        )
    if status["state"] == "failed":
        fail("some vendor deletions failed (dead letters); see `datavagt retention status`")
    if certificate_path is not None:
        try:
            document = certificate_document(subject_id)
        except ErasureError as exc:
            fail(f"no certificate yet: {exc.message}")
            return
        certificate_path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        click.echo(f"certificate written to {certificate_path}", err=True)


@click.command("certificate")
@click.argument("subject_id")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the signed certificate here (default: print it).",
)
@with_app
def certificate(app: Flask, subject_id: str, out_path: Path | None) -> None:
    """The current signed deletion certificate of SUBJECT_ID (pending_expiry or complete)."""
    from plugin.erasure.certificate import certificate_document, versions
    from plugin.erasure.errors import ErasureError

    try:
        document = certificate_document(subject_id)
    except ErasureError as exc:
        fail(exc.message)
        return
    text = json.dumps(document, indent=2)
    if out_path is None:
        click.echo(text)
    else:
        out_path.write_text(text, encoding="utf-8")
        click.echo(f"certificate written to {out_path}", err=True)
    claims = document["claims"]
    until = (
        f", copies remain until {claims['remaining_until']}" if claims["remaining_until"] else ""
    )
    click.echo(
        f"version {claims.get('version')} of {len(versions(subject_id))}: {claims['state']}{until}",
        err=True,
    )
