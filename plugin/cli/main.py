"""Entry point of the ``datavagt`` console script."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from plugin import __version__
from plugin.alerts.cli import alerts_group
from plugin.breach.cli import breach_group
from plugin.cli.agents import agents_group
from plugin.cli.audit import audit_group
from plugin.cli.backfill import backfill
from plugin.cli.backup import backup_group
from plugin.cli.db import db_group
from plugin.cli.demo import demo
from plugin.cli.erasure import erasure_group
from plugin.cli.inbox import inbox_group
from plugin.cli.keys import keys_group
from plugin.cli.keys import verify as verify_command
from plugin.cli.policy import policy_group
from plugin.cli.portal import portal_group
from plugin.cli.requests import requests_group
from plugin.cli.retention import retention_group
from plugin.cli.ropa import ropa
from plugin.cli.scan import scan
from plugin.cli.serve import serve
from plugin.cli.simulate import simulate
from plugin.cli.subject import subject_group
from plugin.cli.worker import worker
from plugin.consent.cli import consent_group
from plugin.dpia.cli import dpia_group
from plugin.processors.cli import processors_group

# click >= 8.2 raises this for a group called without a command (its message is the help).
NO_ARGS_IS_HELP: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("NeverRaised", (click.UsageError,), {})
)


class DatavagtGroup(click.Group):
    """The top-level group: every error is one ``datavagt: error: <what> — <fix>`` line.

    Usage errors (a missing argument, an unknown option) name the ``--help`` to read; an
    exception no command handled is named by its type only (its text may hold personal
    data) and the traceback is shown only with ``DATAVAGT_DEBUG=1``.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an unexpected exception becomes one line and exit 1."""
        try:
            super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("DATAVAGT_DEBUG") == "1":
                raise
            click.echo(
                f"datavagt: error: unexpected {type(exc).__name__} in "
                f"`{ctx.command_path} {ctx.invoked_subcommand or ''}`".replace(" `", "`")
                + " — rerun with DATAVAGT_DEBUG=1 to see where, and report it",
                err=True,
            )
            sys.exit(1)
        return None  # a command's return value is never an exit code

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's main, with its multi-line usage errors turned into one line."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except NO_ARGS_IS_HELP as exc:  # a group without its command: its help, as click does
            click.echo(exc.format_message())
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "datavagt"
            what = exc.format_message().rstrip(".")
            click.echo(f"datavagt: error: {what} — see `{where} --help`", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"datavagt: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("datavagt: error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=DatavagtGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="datavagt")
def cli() -> None:
    """Datavagt: the GDPR sidecar for your helpdesk."""


cli.add_command(agents_group)
cli.add_command(policy_group)
cli.add_command(portal_group)
cli.add_command(audit_group)
cli.add_command(consent_group)
cli.add_command(keys_group)
cli.add_command(verify_command)
cli.add_command(db_group)
cli.add_command(demo)
cli.add_command(requests_group)
cli.add_command(ropa)
cli.add_command(scan)
cli.add_command(serve)
cli.add_command(simulate)
cli.add_command(subject_group)
cli.add_command(erasure_group)
cli.add_command(retention_group)
cli.add_command(inbox_group)
cli.add_command(backfill)
cli.add_command(worker)
cli.add_command(breach_group)
cli.add_command(processors_group)
cli.add_command(dpia_group)
cli.add_command(alerts_group)
cli.add_command(backup_group)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="datavagt")


if __name__ == "__main__":
    main()
