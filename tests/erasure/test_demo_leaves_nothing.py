"""The demo's erasure, run as ``datavagt demo`` runs it, leaves no value of the person in
any simulator's in-memory state (every attribute: records, trash, archive, history,
attachments, conversations, audit), except in copies the certificate names with the date
the vendor drops them; run the vendors' own clean-up on those dates, and nothing is left."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.demo_data import PEOPLE, TICKETS
from plugin.demo.runner import Demo, erasure_run, retention_run, seed_and_ingest, start
from plugin.erasure.verify import verify_erasure
from plugin.extensions import db
from plugin.subjects.identity import find_subjects

# Infrastructure of a simulator, not what the vendor stores.
_SKIP = {"app", "lock", "window", "random", "_sender", "aad", "validator", "server", "thread"}


def _strings(value: Any, path: str, seen: set[int]) -> Iterator[tuple[str, str]]:
    """Every string in a value, with where it sits (dict keys too)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, bytes):
        yield path, value.decode("latin-1")
    elif isinstance(value, (int, float, bool)) or value is None:
        return
    elif id(value) in seen:
        return
    elif isinstance(value, dict):
        seen.add(id(value))
        for key, item in value.items():
            yield from _strings(key, f"{path}.<key>", seen)
            yield from _strings(item, f"{path}.{key}", seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        seen.add(id(value))
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]", seen)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("simulators"):
        seen.add(id(value))
        for key, item in vars(value).items():
            yield from _strings(item, f"{path}.{key}", seen)


def _needles(person: Any) -> dict[str, str]:
    """The person's values in the forms a vendor may hold them (spaces and case ignored)."""
    body = "\n".join(t.body for t in TICKETS if t.person == person)
    values = {
        "email": person.email,
        "phone": person.phone,
        "first name": person.first,
        "last name": person.last,
        "address": person.address.split(",")[0],
    }
    for i, cpr in enumerate(re.findall(r"\d{6}-\d{4}", body)):
        values[f"cpr {i}"] = cpr
    for i, iban in enumerate(re.findall(r"IBAN ([A-Z]{2}[\d ]{14,32}\d)", body)):
        values[f"iban {i}"] = iban
    values["phone (national)"] = re.sub(r"\D", "", person.phone)[-8:]
    return {k: re.sub(r"\s+", "", v).lower() for k, v in values.items()}


def _leftovers(sim: Any, needles: dict[str, str]) -> list[str]:
    found = []
    with sim.lock:
        state = {k: v for k, v in vars(sim).items() if k not in _SKIP}
        for path, text in _strings(state, sim.vendor, set()):
            flat = re.sub(r"\s+", "", text).lower()
            found += [f"{name} at {path}" for name, needle in needles.items() if needle in flat]
    return found


def _clean_up(vendor: str, sim: Any, when: datetime) -> None:
    """The vendor's own removal of the copies it keeps for a while (Trash, recycling bin,
    inbox threads), as each simulator models it, on ``when``."""
    if vendor == "freshdesk":
        sim.purge_trash(when)
    elif vendor == "hubspot":
        sim.purge_recycle_bin(when)
        sim.purge_threads(when)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = start(tmp_path / "demo", "127.0.0.1", 0)
    try:
        yield running
    finally:
        running.stop()


def test_the_demo_erasure_leaves_no_value_of_the_person_in_any_simulator(demo: Demo) -> None:
    counts = seed_and_ingest(demo)
    assert counts["tickets"] == counts["seeded"] > 0
    retention_run(demo)
    # Snapshot every person's values before: the demo chooses whom to erase itself.
    before = {
        p: {vendor: _leftovers(sim, _needles(p)) for vendor, sim in demo.simulators.items()}
        for p in PEOPLE
    }

    with demo.app.app_context():  # who is who, by the e-mail's blind index (gone after)
        subjects = {p: {s.id for s in find_subjects(p.email)} for p in PEOPLE}
        db.session.remove()

    result = erasure_run(demo)
    claims = result.get("claims")
    assert claims, result
    erased = [p for p in PEOPLE if result["subject"] in subjects[p]]
    assert len(erased) == 1, erased
    person = erased[0]
    needles = _needles(person)
    assert {"email", "phone", "address"} <= set(needles), needles
    assert all(before[person].values()), before[person]  # each vendor held the person before
    for other in PEOPLE:  # the erasure took the right person, and only them
        if other != person and before[other]["freshdesk"]:
            assert any(_leftovers(demo.simulators["freshdesk"], {"email": other.email.lower()}))

    named: dict[str, list[str]] = {}
    for store in claims["stores"]:
        if store.get("vendor") and store["state"] == "remains":
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", store["until"] or ""), store
            named.setdefault(store["vendor"], []).append(store["until"])
    with demo.app.app_context():  # and the vendors, asked again, agree
        report = verify_erasure(result["subject"])
        db.session.remove()
    assert report["ok"] and {i["vendor"] for i in report["items"]} == set(demo.simulators)
    for vendor, sim in demo.simulators.items():
        left = _leftovers(sim, needles)
        if vendor not in named:
            assert left == [], f"{vendor} keeps what the certificate does not name: {left}"
            continue
        # What remains sits only in copies the vendor drops by the dates named.
        when = datetime.fromisoformat(max(named[vendor])).replace(tzinfo=UTC) + timedelta(days=1)
        _clean_up(vendor, sim, when)
        left = _leftovers(sim, needles)
        assert left == [], f"{vendor} after {when:%Y-%m-%d}: {left}"
