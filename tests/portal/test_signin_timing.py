"""Paired timing test over real HTTP: a known address answers no slower than an unknown one.

Red team (issue 17): known addresses answered the magic-link request about 5 ms slower
(25 of 30 interleaved pairs). Each pair asks for a link for a known and an unknown address
in a random (seeded) order; a sign test on the pairs must not find the known one slower.
"""

from __future__ import annotations

import math
import random
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import requests
from flask import Flask

from simulators.common.server import SimulatorServer
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import EMAIL, UNKNOWN_EMAIL, seed_customer

PAIRS = 40
_CSRF = re.compile(r'id="login".*?name="csrf_token" value="([^"]+)"', re.S)


def _ask(session: requests.Session, base: str, email: str) -> float:
    """Seconds until the whole answer to one link request has arrived."""
    form = session.get(f"{base}/portal/login", timeout=10).text
    match = _CSRF.search(form)
    assert match, "no login form"
    started = time.perf_counter()
    response = session.post(
        f"{base}/portal/login", data={"email": email, "csrf_token": match.group(1)}, timeout=10
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def sign_test_p(slower: int, pairs: int) -> float:
    """Two-sided exact binomial p-value of ``slower`` of ``pairs`` under p = 1/2."""
    tail = max(slower, pairs - slower)
    p = sum(math.comb(pairs, k) for k in range(tail, pairs + 1)) / 2**pairs
    return min(1.0, 2 * p)


def test_sign_test_reproduces_the_red_team_finding() -> None:
    assert sign_test_p(25, 30) < 0.001  # what was measured before: a real difference
    assert sign_test_p(20, 40) == 1.0


def test_known_and_unknown_addresses_take_the_same_time(
    make_app: Callable[..., Flask], portal_settings: dict[str, Any], mailbox: Mailbox
) -> None:
    mailbox.delay = 0.01  # the mail server takes a moment, as real ones do
    limits = {"per_address": 1000, "per_ip": 1000}
    app = make_app(portal_rate_limits=limits, **portal_settings)
    with app.app_context():
        seed_customer(app)
    server = SimulatorServer(app).start()
    order = random.Random(17)
    try:
        session = requests.Session()
        sent = 0

        def ask(email: str) -> float:
            nonlocal sent
            elapsed = _ask(session, server.url, email)
            if email == EMAIL:
                # The test's SMTP server runs in this process: let it finish, so its thread
                # does not slow the next request down (a real mail server runs elsewhere).
                sent += 1
                mailbox.wait_for(sent, timeout=10)
            time.sleep(0.005)
            return elapsed

        for email in (EMAIL, UNKNOWN_EMAIL) * 3:  # warm templates, statements, connections
            ask(email)
        differences = []
        for _ in range(PAIRS):
            emails = [EMAIL, UNKNOWN_EMAIL]
            order.shuffle(emails)
            timed = {email: ask(email) for email in emails}
            differences.append(timed[EMAIL] - timed[UNKNOWN_EMAIL])
    finally:
        server.stop()
    slower = sum(d > 0 for d in differences)
    p = sign_test_p(slower, PAIRS)
    median_ms = statistics.median(differences) * 1000
    assert p > 0.001, f"known slower in {slower}/{PAIRS} pairs (median {median_ms:.2f} ms)"
    assert abs(median_ms) < 2.0
    assert len(mailbox.wait_for(PAIRS + 3, timeout=30)) >= PAIRS + 3  # the known ones got mail
