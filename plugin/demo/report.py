"""What the demo prints: what happened, and the URLs to open."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from adapters.demo_data import PEOPLE
from plugin.demo.runner import Demo

Echo = Callable[[str], None]


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


def environment_line(demo: Demo) -> str:
    """The settings a CLI command in another shell needs to reach the demo's data."""
    settings = demo.app.extensions["datavagt.settings"]
    return (
        f"export DATAVAGT_DATABASE_URL={shlex.quote(settings.database_url)} "
        f"DATAVAGT_KEY_FILE={shlex.quote(str(settings.key_file))} "
        f"DATAVAGT_PUBLIC_URL={shlex.quote(demo.url)}"
    )


def customers(demo: Demo) -> list[dict[str, str | bool]]:
    """The seeded people with whether My pages still knows them (the demo erases one)."""
    from plugin.extensions import db
    from plugin.portal import links

    out: list[dict[str, str | bool]] = []
    with demo.app.app_context():
        for person in PEOPLE:
            known = links.subject_for_index(links.email_index(person.email)) is not None
            name = f"{person.first} {person.last}"
            out.append({"name": name, "email": person.email, "erased": not known})
        db.session.remove()
    return out


def print_counts(demo: Demo, counts: dict[str, int], echo: Echo) -> None:
    """What the ingest did, or what an earlier run left for this one to reuse."""
    if demo.reused:
        echo(
            f"Reusing the demo data from an earlier run in {demo.data_dir}/: "
            f"{counts['tickets']} tickets, {counts['findings']} pieces of personal data in the "
            "vault (`datavagt demo --reset` starts over; the simulators start empty on a reuse)."
        )
        return
    echo(
        f"Ingested {counts['tickets']} of {counts['seeded']} seeded tickets: "
        f"{counts['findings']} pieces of personal data vaulted and replaced by tokens in the "
        f"simulators ({counts['parked']} events parked)."
    )


def print_report(demo: Demo, echo: Echo) -> None:
    """The start page URL, the seeded customers and the CLI's environment line."""
    demo.page.customers = customers(demo)
    demo.page.environment = environment_line(demo)
    echo(f"\nStart page (roles, customers, forms, mail viewer): {demo.start_url}")
    echo("\nSeeded customers (sign-in links on the start page, or `datavagt portal link EMAIL`):")
    for customer in demo.page.customers:
        note = "  (erased by the demo)" if customer["erased"] else ""
        echo(f"  {customer['name']:<16} {customer['email']}{note}")
    echo("\nFor the CLI, in another shell:")
    echo(f"  {demo.page.environment}")
