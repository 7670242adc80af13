"""A built-in mail sink for ``datavagt demo``: messages are kept in memory, not sent.

The demo has no SMTP server; its portal links and secure-message notices land here, and
the demo's mail viewer page lists them. Never used outside the demo.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage

KEEP = 200  # the newest messages; older ones fall off


@dataclass(frozen=True)
class SunkMail:
    """One message as it would have been sent."""

    number: int
    to: str
    subject: str
    date: str
    text: str


class MailSink:
    """Thread-safe, bounded, newest-first store of the messages the demo "sent"."""

    def __init__(self, keep: int = KEEP) -> None:
        self._lock = threading.Lock()
        self._messages: deque[SunkMail] = deque(maxlen=keep)
        self._count = 0

    def deliver(self, message: EmailMessage) -> None:
        """Keep ``message`` (the mailer's own EmailMessage, plain text)."""
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        with self._lock:
            self._count += 1
            self._messages.appendleft(
                SunkMail(
                    number=self._count,
                    to=str(message["To"]),
                    subject=str(message["Subject"]),
                    date=str(message["Date"]),
                    text=text,
                )
            )

    def messages(self) -> list[SunkMail]:
        """The kept messages, newest first."""
        with self._lock:
            return list(self._messages)
