"""Subject identity: blind indexes and matching by vendor id, e-mail and phone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, SubjectIdentifier, VaultItem
from plugin.subjects import blind_index, find_or_create_subject, find_subjects
from plugin.subjects.identity import normalise_identifier
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("email", "  Jens.Hansen@Example.COM ", "jens.hansen@example.com"),
        ("phone", "20 12 34 56", "+4520123456"),
        ("phone", "+45 2012 3456", "+4520123456"),
        ("phone", "0044 20 7946 0958", "+442079460958"),
        ("phone", "not a number 12", "12"),
        ("vendor_contact", " 42 ", "42"),
    ],
)
def test_normalise(kind: str, value: str, expected: str) -> None:
    assert normalise_identifier(kind, value) == expected


def test_blind_index_is_keyed_and_normalised(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    keyring = app.extensions["datavagt.keyring"]
    a = blind_index(keyring, "email", "JENS@example.com ")
    assert a == blind_index(keyring, "email", "jens@example.com")
    assert len(a) == 64 and "jens" not in a
    assert a != blind_index(keyring, "vendor_contact", "jens@example.com")  # domain-separated
    from plugin.keys import Keyring

    other = Keyring(tmp_path / "other.keys")
    assert blind_index(other, "email", "jens@example.com") != a


def test_find_or_create_matches_across_vendors(app: Flask) -> None:
    jens = VendorContact(external_id="7", name="Jens", email="Jens@Example.com", phone="20123456")
    first = find_or_create_subject("freshdesk", jens)
    db.session.commit()
    assert find_or_create_subject("freshdesk", jens).id == first.id
    # Same e-mail at another vendor: the same person; the new vendor id is attached.
    other = find_or_create_subject("hubspot", VendorContact("901", email="jens@example.com"))
    assert other.id == first.id
    # Same phone, other format, no e-mail: a phone is shared by families and firms, so it
    # never ties a contact to a known person (issue 15); it is a second person.
    by_phone = find_or_create_subject("dynamics", VendorContact("abc", phone="+45 20 12 34 56"))
    assert by_phone.id != first.id
    db.session.commit()
    kinds = sorted((i.kind, i.vendor) for i in db.session.scalars(sa.select(SubjectIdentifier)))
    assert kinds == [
        ("email", ""),
        ("phone", ""),
        ("phone", ""),
        ("vendor_contact", "dynamics"),
        ("vendor_contact", "freshdesk"),
        ("vendor_contact", "hubspot"),
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DataSubject)) == 2
    # Identifier values are vaulted, not stored in clear.
    rows = db.session.scalars(sa.select(SubjectIdentifier)).all()
    values = [get_vault().decrypt(db.session.get(VaultItem, r.vault_item_id)) for r in rows]
    assert set(values) == {"7", "901", "abc", "Jens@Example.com", "20123456", "+45 20 12 34 56"}
    dump = " ".join(str(r.blind_index) for r in rows)
    assert "example" not in dump.lower()


def test_distinct_people_and_lookup(app: Flask) -> None:
    a = find_or_create_subject("freshdesk", VendorContact("1", email="a@example.com"))
    b = find_or_create_subject("freshdesk", VendorContact("2", email="b@example.com"))
    db.session.commit()
    assert a.id != b.id
    assert [s.id for s in find_subjects(email=" A@example.com")] == [a.id]
    assert [s.id for s in find_subjects(vendor_id=("freshdesk", "2"))] == [b.id]
    assert [s.id for s in find_subjects(vendor_id="freshdesk:2")] == [b.id]
    assert find_subjects(vendor_id="hubspot:2") == []
    assert {s.id for s in find_subjects(email="a@example.com", vendor_id="freshdesk:2")} == {
        a.id,
        b.id,
    }
    assert find_subjects() == []


def test_conflicting_identifiers_do_not_merge(app: Flask) -> None:
    a = find_or_create_subject("freshdesk", VendorContact("1", email="a@example.com"))
    b = find_or_create_subject("freshdesk", VendorContact("2", email="b@example.com"))
    db.session.commit()
    # Contact 1 now claims b's e-mail: stays a (vendor id wins); b keeps its e-mail.
    again = find_or_create_subject("freshdesk", VendorContact("1", email="b@example.com"))
    db.session.commit()
    assert again.id == a.id
    assert [s.id for s in find_subjects(email="b@example.com")] == [b.id]


def test_merged_subject_resolves_to_survivor(app: Flask) -> None:
    a = find_or_create_subject("freshdesk", VendorContact("1", email="a@example.com"))
    b = find_or_create_subject("freshdesk", VendorContact("2", email="b@example.com"))
    a.merged_into_id = b.id
    db.session.commit()
    assert find_or_create_subject("freshdesk", VendorContact("1")).id == b.id
    assert [s.id for s in find_subjects(email="a@example.com")] == [b.id]
