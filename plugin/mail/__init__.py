"""Outgoing e-mail over SMTP: magic links and secure-message notices (never content)."""

from __future__ import annotations

from plugin.mail.sender import Mailer, MailError, get_mailer, init_app

__all__ = ["MailError", "Mailer", "get_mailer", "init_app"]
