"""``datavagt portal link EMAIL``: a fresh sign-in link for a known customer, on the CLI."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.extensions import db
from plugin.models import AuditEvent, PortalLoginToken
from plugin.portal import links
from tests.portal.seeding import EMAIL, UNKNOWN_EMAIL, seed_customer

LINK = re.compile(r"^https://minesider\.example/portal/login/([A-Za-z0-9_-]{40,})$")


def test_link_for_a_known_customer_logs_in_once(
    app: Flask, cli_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = seed_customer(app)
    monkeypatch.setenv("DATAVAGT_PUBLIC_URL", "https://minesider.example")
    result = cli_env.invoke(cli, ["portal", "link", f" {EMAIL.upper()} "], prog_name="datavagt")
    assert result.exit_code == 0, result.output
    match = LINK.match(result.stdout.strip())
    assert match, result.stdout
    assert "15 minutes" in result.stderr
    db.session.rollback()  # see the command's commit
    assert links.redeem(match.group(1)) == customer.subject_id
    with pytest.raises(links.LinkError):
        links.redeem(match.group(1))  # single use
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.subject_id == customer.subject_id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.actor_id == "cli"
    assert EMAIL not in str(event.details) and match.group(1) not in str(event.details)


def test_unknown_address_is_one_line_and_mints_nothing(app: Flask, cli_env: CliRunner) -> None:
    seed_customer(app)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(PortalLoginToken))
    result = cli_env.invoke(
        cli,
        ["portal", "link", UNKNOWN_EMAIL, "--base-url", "https://minesider.example"],
        prog_name="datavagt",
    )
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("datavagt: error: no customer has")
    assert UNKNOWN_EMAIL not in result.output  # the address is not echoed back
    assert "http" not in result.stdout
    db.session.rollback()
    after = db.session.scalar(sa.select(sa.func.count()).select_from(PortalLoginToken))
    assert after == before


def test_link_needs_a_public_url(app: Flask, cli_env: CliRunner) -> None:
    seed_customer(app)
    result = cli_env.invoke(cli, ["portal", "link", EMAIL], prog_name="datavagt")
    assert result.exit_code == 1
    assert "DATAVAGT_PUBLIC_URL" in result.stderr and "--base-url" in result.stderr
