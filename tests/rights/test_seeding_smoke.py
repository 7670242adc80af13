"""The seeded person is one subject across the three vendors."""

from __future__ import annotations

from flask import Flask

from plugin.rights import lookup
from tests.rights.seeding import EMAIL, Person


def test_one_subject_across_vendors(vendor_app: Flask, person: Person) -> None:
    found = lookup.find(email=EMAIL)
    assert [s.id for s in found] == [person.subject_id]
    assert lookup.describe(found[0])["tickets_per_vendor"] == {
        "dynamics": 1,
        "freshdesk": 1,
        "hubspot": 1,
    }
