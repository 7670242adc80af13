"""A real SMTP server (aiosmtpd) in a thread that keeps what it receives."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

# aiosmtpd logs every recipient at INFO; this test server is not ours, keep it quiet.
logging.getLogger("mail.log").setLevel(logging.WARNING)
LINK = re.compile(r"https?://\S+/portal/login/([A-Za-z0-9_-]+)")


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    """One delivered message."""

    recipients: list[str]
    message: Message

    @property
    def text(self) -> str:
        """The plain-text body."""
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode("utf-8")

    @property
    def token(self) -> str:
        """The magic-link token in the body."""
        match = LINK.search(self.text)
        assert match, "no login link in the mail"
        return match.group(1)


@dataclass
class Mailbox:
    """Messages received so far; ``delay`` makes every delivery slow (seconds)."""

    port: int = 0
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """aiosmtpd hook: keep the message, after the configured delay."""
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(
                Received(list(envelope.rcpt_tos), message_from_bytes(envelope.content))
            )
        return "250 OK"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Received]:
        """Block until ``count`` messages arrived; fail the test otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} mails, got {len(self.received)}")

    def settle(self, seconds: float = 0.5) -> list[Received]:
        """Whatever arrived after waiting ``seconds`` (to check nothing was sent)."""
        time.sleep(seconds)
        with self.lock:
            return list(self.received)


class SmtpServer:
    """Start and stop an aiosmtpd controller serving ``mailbox`` on 127.0.0.1."""

    def __init__(self, mailbox: Mailbox) -> None:
        mailbox.port = free_port()
        self.mailbox = mailbox
        self.controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self.mailbox

    def __exit__(self, *_: object) -> None:
        self.controller.stop()
