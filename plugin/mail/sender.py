"""The SMTP sender: configured host, port, sender, STARTTLS and login; sends off the request."""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import Flask, current_app

from plugin.config import ConfigError

log = logging.getLogger(__name__)
EXTENSION = "datavagt.mailer"
TIMEOUT_SECONDS = 15.0


class MailError(Exception):
    """A message could not be handed to the SMTP server (the message names no address)."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send; ``host`` None switches mail off."""

    host: str | None
    port: int
    sender: str | None
    starttls: bool
    user: str | None
    password: str | None

    @classmethod
    def from_settings(cls, smtp: dict[str, Any]) -> MailSettings:
        """Validate the ``smtp_*`` settings; a bad one is a ConfigError naming it."""
        try:
            port = int(smtp.get("port") or 25)
        except (TypeError, ValueError) as exc:
            raise ConfigError("DATAVAGT_SMTP_PORT: expected a port number") from exc
        if not 0 < port < 65536:
            raise ConfigError("DATAVAGT_SMTP_PORT: expected a port number")
        starttls = str(smtp.get("starttls") or "off").lower()
        if starttls not in ("on", "off", "true", "false", "1", "0"):
            raise ConfigError("DATAVAGT_SMTP_STARTTLS: expected 'on' or 'off'")
        tls = starttls in ("on", "true", "1")
        host = smtp.get("host") or None
        if host and not smtp.get("from"):
            raise ConfigError("DATAVAGT_SMTP_FROM: needed when DATAVAGT_SMTP_HOST is set")
        if smtp.get("password") and not tls:
            # A password must never cross the network in clear.
            raise ConfigError("DATAVAGT_SMTP_PASSWORD needs DATAVAGT_SMTP_STARTTLS=on")
        return cls(
            host=host,
            port=port,
            sender=smtp.get("from") or None,
            starttls=tls,
            user=smtp.get("user") or None,
            password=smtp.get("password") or None,
        )


class Mailer:
    """Builds and sends plain-text messages; ``send_later`` runs on a small worker pool."""

    def __init__(self, settings: MailSettings, workers: int = 2) -> None:
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="datavagt-mail")
        # The demo's built-in sink (plugin.mail.sink.MailSink): messages kept, not sent.
        self.sink: Any = None

    @property
    def enabled(self) -> bool:
        """Whether an SMTP host (or the demo's sink) is configured."""
        return bool(self.settings.host) or self.sink is not None

    def build(self, to: str, subject: str, text: str) -> EmailMessage:
        """The message as sent: plain text, our own Message-ID, no tracking."""
        message = EmailMessage()
        message["From"] = self.settings.sender or "datavagt@localhost"
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="datavagt.local")
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text)
        return message

    def send(self, to: str, subject: str, text: str) -> None:
        """Send now (blocking); MailError when the server refuses or cannot be reached."""
        if not self.enabled:
            raise MailError("mail is not configured (DATAVAGT_SMTP_HOST)")
        message = self.build(to, subject, text)
        if self.sink is not None:
            self.sink.deliver(message)
            return
        s = self.settings
        try:
            with smtplib.SMTP(str(s.host), s.port, timeout=TIMEOUT_SECONDS) as smtp:
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.user and s.password:
                    smtp.login(s.user, s.password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            # The exception text may quote the address: log only its type.
            raise MailError(f"SMTP delivery failed ({type(exc).__name__})") from exc

    def send_later(
        self, to: str, subject: str, text: str, delay: float = 0.0
    ) -> Future[None] | None:
        """Queue a message off the request thread; failures are logged without the address.

        ``delay`` seconds pass (asleep, GIL released) before the SMTP conversation starts.
        """
        if not self.enabled:
            log.warning("mail not sent: no SMTP host configured")
            return None
        return self._pool.submit(self._deliver, to, subject, text, delay)

    def _deliver(self, to: str, subject: str, text: str, delay: float = 0.0) -> None:
        if delay > 0:
            time.sleep(delay)
        try:
            self.send(to, subject, text)
        except MailError as exc:
            log.warning("mail delivery failed", extra={"reason": str(exc)})

    def shutdown(self) -> None:
        """Wait for queued messages and stop the pool."""
        self._pool.shutdown(wait=True)


def init_app(app: Flask) -> Mailer:
    """Create the app's mailer from its settings (bad SMTP settings stop start-up)."""
    mailer = app.extensions.get(EXTENSION)
    if mailer is None:
        settings = app.extensions["datavagt.settings"]
        mailer = Mailer(MailSettings.from_settings(settings.smtp))
        app.extensions[EXTENSION] = mailer
    return mailer


def get_mailer() -> Mailer:
    """The current app's mailer."""
    return init_app(current_app._get_current_object())  # type: ignore[attr-defined]
