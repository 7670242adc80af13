"""Deliver an alert: the console always, e-mail to the configured addresses, one webhook.

The webhook body is ``{"text": ...}``, which Slack and Microsoft Teams incoming webhooks both
accept. Retries are urllib3's (429 and 5xx, honouring Retry-After); redirects are not
followed, so a webhook cannot be bounced to an internal address.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from plugin.alerts import i18n
from plugin.alerts.rules import settings
from plugin.mail.sender import MailError, get_mailer
from plugin.models.alert import Alert
from plugin.models.types import utcnow

log = logging.getLogger(__name__)
TIMEOUT = (3.05, 5)
RETRY = Retry(
    total=3,
    backoff_factor=0.5,
    status_forcelist=(429, 500, 502, 503, 504),
    allowed_methods=frozenset({"POST"}),
    respect_retry_after_header=True,
    raise_on_status=False,
)


def text(alert: Alert) -> str:
    """The message in Danish and English, with a link to the console when known."""
    lines = [i18n.title(alert.rule, alert.params, lang) for lang in ("da", "en")]
    if alert.occurrences > 1:
        lines.append(f"({alert.occurrences}×)")
    base = current_app.extensions["datavagt.settings"].public_url
    if base:
        lines.append(f"{base.rstrip('/')}/admin/alerts")
    return "\n".join(lines)


def _webhook(url: str, body: str) -> dict[str, Any]:
    with requests.Session() as session:
        session.mount("https://", HTTPAdapter(max_retries=RETRY))
        session.mount("http://", HTTPAdapter(max_retries=RETRY))
        try:
            response = session.post(
                url, json={"text": body}, timeout=TIMEOUT, allow_redirects=False
            )
        except requests.RequestException as exc:
            return {"ok": False, "reason": type(exc).__name__}
    if 200 <= response.status_code < 300:
        return {"ok": True}
    return {"ok": False, "reason": f"HTTP {response.status_code}"}


def deliver(alert: Alert) -> list[dict[str, Any]]:
    """Send the alert everywhere configured; returns one result per channel (no addresses)."""
    config = settings()
    body = text(alert)
    subject = f"{i18n.PAGE['da']['subject']} / {i18n.PAGE['en']['subject']}"
    at = utcnow().isoformat()
    results: list[dict[str, Any]] = [{"channel": "console", "ok": True, "at": at}]
    mailer = get_mailer()
    for index, address in enumerate(config["email"]):
        try:
            mailer.send(address, subject, body)
            results.append({"channel": "email", "recipient": index, "ok": True, "at": at})
        except MailError as exc:
            results.append(
                {"channel": "email", "recipient": index, "ok": False, "reason": str(exc), "at": at}
            )
    webhook = current_app.extensions["datavagt.settings"].alert_webhook_url
    if webhook:
        results.append({"channel": "webhook", **_webhook(webhook, body), "at": at})
    failed = [r["channel"] for r in results if not r["ok"]]
    if failed:
        # Ids and channels only: addresses and the webhook URL (a secret) stay out of logs.
        log.warning("alert delivery failed", extra={"alert": alert.id, "channels": failed})
    return results
