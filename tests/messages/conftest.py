"""Messages tests reuse the portal fixtures: SMTP server, app, seeded customer."""

from __future__ import annotations

from tests.portal.conftest import customer, mailbox, portal_app, portal_settings

__all__ = ["customer", "mailbox", "portal_app", "portal_settings"]
