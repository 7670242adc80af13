"""``datavagt demo``: everything on one machine with no vendor account."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from plugin.cli.context import STARTUP_ERRORS, fail


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Sidecar port (0 picks a free one).",
)
@click.option(
    "--data-dir",
    default="datavagt-demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the demo's SQLite database and key file live.",
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="Keep serving until Ctrl-C (--no-wait: seed, report and exit).",
)
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the data folder's earlier demo data and start over (default: reuse it).",
)
def demo(host: str, port: int, data_dir: Path, wait: bool, reset: bool) -> None:
    """Run the sidecar on SQLite with the three vendor simulators and seeded tickets.

    A second run with the same --data-dir reuses what the first one left (nothing is
    seeded twice); --reset deletes it and starts over.
    """
    from plugin.demo.report import print_counts, print_erasure, print_report, print_retention
    from plugin.demo.runner import (
        erasure_run,
        held_counts,
        link_tickets,
        retention_run,
        seed_and_ingest,
        start,
    )

    try:
        running = start(data_dir, host, port, reset=reset)
    except STARTUP_ERRORS as exc:
        fail(str(exc))
        return
    except OSError as exc:
        fail(f"--port: cannot listen on {host}:{port} ({exc.strerror})")
        return
    try:
        click.echo(f"Datavagt demo: sidecar on {running.url}, data in {data_dir}/")
        for vendor, sim in running.simulators.items():
            click.echo(f"  {vendor} simulator on {sim.url}")
        held = held_counts(running) if running.reused else {}
        if running.reused and not held["tickets"]:
            running.reused = False  # an earlier run stopped before any ticket came in
        if running.reused:
            print_counts(running, held, click.echo)
            link_tickets(running)
        else:
            click.echo("Seeding tickets in the simulators; their webhooks reach the sidecar ...")
            print_counts(running, seed_and_ingest(running), click.echo)
            link_tickets(running)  # chosen first: retention and erasure leave them alone
            print_retention(retention_run(running), click.echo)
            print_erasure(erasure_run(running), click.echo)
        print_report(running, click.echo)
        if wait:
            click.echo("\nServing until Ctrl-C.")
            threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        running.stop()
