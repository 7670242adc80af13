"""``datavagt retention``: sweep, queue status, dead-letter retry, legal holds, dispatchers."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask

from plugin.auth.guard import Actor
from plugin.cli.context import fail, with_app

FORMAT = click.Choice(["text", "json"])


@click.group("retention")
def retention_group() -> None:
    """Retention: due deletions, the outbox queue and legal holds."""


@retention_group.command("sweep")
@click.option("--dry-run", is_flag=True, help="List what would happen and why; change nothing.")
@click.option("--no-dispatch", is_flag=True, help="Only enqueue; leave execution to workers.")
@click.option("--timeout", default=3600.0, show_default=True, help="Seconds to dispatch at most.")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@with_app
def sweep_cmd(app: Flask, dry_run: bool, no_dispatch: bool, timeout: float, fmt: str) -> None:
    """Run due deletions now (enqueue, then execute through the vendors' APIs)."""
    from plugin.retention.dispatcher import Dispatcher
    from plugin.retention.sweep import sweep

    result = sweep(dry_run=dry_run)
    if dry_run:
        lines = [line.as_dict() for line in result.planned]
        if fmt == "json":
            click.echo(json.dumps({"actions": lines}, indent=2))
            return
        click.echo(f"{len(lines)} action(s) due")
        for line in lines:
            held = "  [legal hold: skipped]" if line["blocked_by"] else ""
            click.echo(
                f"{line['ticket_ref']}  purpose={line['purpose']}  rule={line['rule']}  "
                f"due={line['due_at']}  action={line['action']}{held}"
            )
        return
    summary: dict = {"sweep": result.as_dict()}
    if not no_dispatch:
        summary["dispatch"] = dict(Dispatcher(app).run_until_idle(timeout=timeout).counts)
    click.echo(json.dumps(summary, indent=None if fmt == "text" else 2, sort_keys=True))


@retention_group.command("status")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--limit", default=50, show_default=True, help="Dead letters to list.")
@with_app
def status_cmd(app: Flask, fmt: str, limit: int) -> None:
    """Show the queue: pending/running/done/dead counts and the dead letters."""
    from plugin.retention import outbox

    counts = outbox.counts()
    dead = [
        {
            "id": j.id,
            "kind": j.kind,
            "vendor": j.vendor,
            "target": j.target,
            "attempts": j.attempts,
            "last_error": j.last_error,
        }
        for j in outbox.list_jobs("dead", limit)
    ]
    if fmt == "json":
        click.echo(json.dumps({"counts": counts, "dead": dead}, indent=2))
        return
    click.echo("  ".join(f"{k}={v}" for k, v in counts.items()))
    for job in dead:
        click.echo(
            f"dead #{job['id']} {job['kind']} {job['vendor']}:{job['target']} "
            f"after {job['attempts']} attempt(s): {job['last_error']}"
        )


@retention_group.command("retry")
@click.argument("job_ids", nargs=-1, type=int)
@with_app
def retry_cmd(app: Flask, job_ids: tuple[int, ...]) -> None:
    """Requeue dead letters (all, or the JOB_IDS given)."""
    from plugin.audit import actions, record
    from plugin.extensions import db
    from plugin.retention import outbox

    requeued = outbox.requeue(list(job_ids) if job_ids else None)
    if job_ids and len(requeued) != len(set(job_ids)):
        db.session.rollback()
        missing = sorted(set(job_ids) - set(requeued))
        fail(f"not dead letters: {', '.join(map(str, missing))}")
    if requeued:
        record(
            actions.ADMIN_ACTION,
            actor=Actor.system("cli"),
            details={"operation": "outbox_retry", "jobs": len(requeued)},
        )
    db.session.commit()
    click.echo(f"requeued {len(requeued)} job(s)")


@retention_group.command("hold")
@click.option("--ticket", help="vendor:external_id of a ticket.")
@click.option("--subject", "subject_id", help="A data subject id.")
@click.option("--reason", help="Why (required to set; audited).")
@click.option("--lift", is_flag=True, help="Lift the hold instead of setting it.")
@with_app
def hold_cmd(
    app: Flask, ticket: str | None, subject_id: str | None, reason: str | None, lift: bool
) -> None:
    """Set or lift a legal hold on a ticket or a data subject."""
    from plugin.retention import holds

    if bool(ticket) == bool(subject_id):
        fail("give exactly one of --ticket, --subject")
    if not lift and not reason:
        fail("--reason is required to set a hold")
    target = holds.HoldTarget(ticket_ref=ticket, subject_id=subject_id)
    try:
        if lift:
            result = holds.lift_hold(target, reason, Actor.system("cli"))
        else:
            result = holds.set_hold(target, reason or "", Actor.system("cli"))
    except holds.HoldError as exc:
        fail(exc.message)
        return
    click.echo(json.dumps(result, sort_keys=True))


@retention_group.command("evidence")
@click.argument("job_id", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write it here.")
@with_app
def evidence_cmd(app: Flask, job_id: int, out: Path | None) -> None:
    """Export a finished job's signed evidence (check it with `datavagt verify FILE`)."""
    from plugin.extensions import db
    from plugin.models import OutboxJob
    from plugin.retention.evidence import verify

    job = db.session.get(OutboxJob, job_id)
    if job is None or not job.evidence:
        fail(f"job {job_id} has no evidence (unknown or not done)")
        return
    claims = verify(job.evidence, app.extensions["datavagt.keyring"])
    document = {"type": "deletion_evidence", "evidence": job.evidence, "claims": claims}
    text = json.dumps(document, indent=2)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"evidence written to {out}", err=True)


@retention_group.command("dispatch")
@click.option("--threads", type=click.IntRange(1, 64), help="Dispatcher threads (default 4).")
@click.option("--until-idle", is_flag=True, help="Exit when no job is left to run.")
@with_app
def dispatch_cmd(app: Flask, threads: int | None, until_idle: bool) -> None:
    """Execute outbox jobs until stopped (several processes may share one PostgreSQL)."""
    import signal
    import threading

    from plugin.retention.dispatcher import Dispatcher

    dispatcher = Dispatcher(app, threads)
    if until_idle:
        click.echo(json.dumps(dict(dispatcher.run_until_idle().counts), sort_keys=True))
        return
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    dispatcher.start()
    click.echo("dispatcher started", err=True)
    while not stopped.wait(1.0):
        pass
    dispatcher.stop()
