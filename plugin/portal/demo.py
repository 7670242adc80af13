"""Demo hook: a valid magic link for a seeded customer, without SMTP."""

from __future__ import annotations

from flask import Flask

from plugin.portal import links


def login_url(app: Flask, base_url: str, email: str) -> str:
    """A single-use 15-minute login link for ``email``; LookupError when nobody has it."""
    with app.app_context():
        token, subject_id = links.issue(email)
    if subject_id is None:
        raise LookupError("no data subject has this e-mail address")
    return links.link_url(base_url, token)
