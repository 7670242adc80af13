"""Adapter contract: create_ticket against each vendor simulator over real HTTP."""

from __future__ import annotations

from plugin.vendors import registry
from plugin.vendors.contract import VendorContact
from tests.forms.conftest import Vendor


def test_create_ticket_round_trip(vendor: Vendor) -> None:
    adapter = registry.build(vendor.name, vendor.settings)
    try:
        requester = VendorContact(
            external_id="", name="[name A•••]", email="s-1234@pseudonym.invalid"
        )
        first = adapter.create_ticket(
            "Contact form", {"description": "Hello [phone ••••]"}, requester
        )
        second = adapter.create_ticket("Contact form", {"description": "Again"}, requester)
        assert first and second and first != second
        ticket = adapter.get_ticket(first)
        assert ticket.subject == "Contact form"
        body_field = {"freshdesk": "description", "hubspot": "content", "dynamics": "description"}
        assert "Hello [phone ••••]" in ticket.fields[body_field[vendor.name]].text
        assert ticket.requester is not None
        again = adapter.get_ticket(second).requester
        # The same e-mail maps to one vendor contact, not a new one per ticket.
        assert again is not None and again.external_id == ticket.requester.external_id
        assert len(vendor.sim.contacts) == 1
    finally:
        adapter.close()
