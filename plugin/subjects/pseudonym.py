"""The pseudonymous requester address a form gives the CRM instead of the person's own.

A form ticket is created at the vendor with ``subject-<subject id>@<domain>`` as its
requester; when the vendor's webhook for that ticket comes back, ingest reads the address to
find the person the form was filed for instead of making a stranger of the pseudonym.
"""

from __future__ import annotations

import re

from flask import current_app

DEFAULT_REQUESTER_DOMAIN = "pseudonym.datavagt.invalid"
_ADDRESS = re.compile(r"^subject-([0-9a-f-]{36})@(.+)$")


def requester_domain() -> str:
    """The configured domain of pseudonymous requesters (``forms_requester_domain``)."""
    return str(
        current_app.extensions["datavagt.settings"].extra.get(
            "forms_requester_domain", DEFAULT_REQUESTER_DOMAIN
        )
    )


def requester_address(subject_id: str) -> str:
    """The address the CRM gets for a form's requester."""
    return f"subject-{subject_id}@{requester_domain()}"


def subject_of_address(email: str | None) -> str | None:
    """The subject id a pseudonymous requester address names, or None for any other."""
    match = _ADDRESS.match((email or "").strip().lower())
    if match is None or match.group(2) != requester_domain().lower():
        return None
    return match.group(1)
