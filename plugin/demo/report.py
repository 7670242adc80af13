"""What the demo prints: what happened, and the URLs to open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from adapters.demo_data import PEOPLE
from plugin.agents.demo import widget_urls
from plugin.auth.tokens import issue_token
from plugin.demo.runner import Demo, first_ticket
from plugin.portal.demo import login_url

Echo = Callable[[str], None]
DEMO_TTL = timedelta(hours=12)


def print_retention(run: dict[str, Any], echo: Echo) -> None:
    """What the demo's retention run did."""
    done = run["counts"].get("dispatch", {})
    echo(
        f"\nRetention run: {len(run['tickets'])} tickets back-dated past their rule "
        f"({', '.join(run['tickets']) or 'none'}); sweep queued {run['counts'].get('enqueued', 0)} "
        f"job(s); executed through the vendors: {done}; {run['evidence']} signed evidence "
        "record(s) (`datavagt retention status`, `datavagt retention evidence JOB_ID`)."
    )


def print_erasure(run: dict[str, Any], echo: Echo) -> None:
    """The demo erasure's certificate: per store, destroyed or what remains until when."""
    if run.get("subject") is None:
        echo("\nErasure: no Freshdesk ticket with personal data to erase.")
        return
    if "claims" not in run:
        echo(f"\nErasure of subject {run['subject']}: {run.get('error')}.")
        return
    claims = run["claims"]
    echo(
        f"\nErasure of one person (subject {run['subject']}): certificate {claims['state']}"
        + (f" until {claims['remaining_until']}" if claims.get("remaining_until") else "")
        + "; per store:"
    )
    for store in claims["stores"]:
        name = store["store"].replace("_", " ")
        where = f"{store['vendor']} {name}" if store.get("vendor") else name
        until = f" until {store['until']}" if store.get("until") else ""
        echo(f"  {where}: {store['state']}{until}")
    echo(f"  (`datavagt subject certificate {run['subject']}` prints the signed certificate)")


def print_report(demo: Demo, counts: dict[str, int], echo: Echo) -> None:
    """Counts of the ingest, then widget, admin, form and operations URLs."""
    app, base = demo.app, demo.url
    echo(
        f"Ingested {counts['tickets']} of {counts['seeded']} seeded tickets: "
        f"{counts['findings']} pieces of personal data vaulted and replaced by tokens in the "
        f"simulators ({counts['parked']} events parked)."
    )
    echo("\nAgent widget, one URL per role (the token rides in the fragment, never the query):")
    for vendor in demo.simulators:
        ticket = first_ticket(app, vendor)
        if ticket is None:
            continue
        echo(f"  {vendor} ticket {ticket}:")
        for role, url in widget_urls(app, base, vendor, ticket, ttl=DEMO_TTL).items():
            echo(f"    {role:<13} {url}")
    dpo_token = issue_token(
        app.extensions["datavagt.keyring"], agent="demo-dpo", role="dpo", ttl=DEMO_TTL
    )
    echo(f"\nAdmin console: {base}/admin/login  (paste this DPO token to log in)")
    echo(f"  {dpo_token}")
    echo("\nMy pages (customer portal), a 15-minute single-use login link per seeded customer:")
    for person in PEOPLE:
        try:
            echo(f"  {person.first:<8} {login_url(app, base, person.email)}")
        except LookupError:
            continue  # not (yet) a known subject
    echo("\nIntake forms:")
    for name in app.extensions["datavagt.manifest"].data.get("forms", {}):
        echo(f"  {base}/forms/{name}")
    echo("\nOperations:")
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/.well-known/jwks.json"):
        echo(f"  {base}{path}")
