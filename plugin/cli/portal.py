"""``datavagt portal link EMAIL``: a fresh My-pages sign-in link for a known customer."""

from __future__ import annotations

import click
from flask import Flask

from plugin.cli.context import cli_actor, fail, with_app


@click.group("portal")
def portal_group() -> None:
    """My pages, the customers' portal."""


@portal_group.command("link")
@click.argument("email")
@click.option(
    "--base-url",
    help="The sidecar's public URL the link starts with (default: DATAVAGT_PUBLIC_URL).",
)
@click.option("--by", default="cli", show_default=True, help="Who issues it (audited).")
@with_app
def link(app: Flask, email: str, base_url: str | None, by: str) -> None:
    """Print a single-use 15-minute sign-in link to My pages for the customer with EMAIL.

    The same link the portal mails; hand it over only to the person who owns the address.
    """
    from plugin import audit
    from plugin.extensions import db
    from plugin.portal import links

    base = base_url or app.extensions["datavagt.settings"].public_url
    if not base:
        fail("no public URL for the link — set DATAVAGT_PUBLIC_URL or pass --base-url")
        return
    if not base.startswith(("http://", "https://")):
        fail("--base-url: expected an http(s) URL such as https://datavagt.example.dk")
    actor = cli_actor(by, role="admin")
    # Checked before a token is made: an unknown address gets no row and no link.
    if links.subject_for_index(links.email_index(email.strip())) is None:
        fail(
            "no customer has this e-mail address — check the spelling "
            "(`datavagt subject find --email ADDRESS` searches every vendor)"
        )
    token, subject_id = links.issue(email.strip())
    audit.record(
        audit.actions.ADMIN_ACTION,
        actor=actor,
        subject_id=subject_id,
        details={"portal_link": "issued"},  # never the address or the token
    )
    db.session.commit()
    click.echo(links.link_url(base, token))
    click.echo("valid once, for 15 minutes", err=True)
