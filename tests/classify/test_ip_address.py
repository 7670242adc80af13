"""IP address detector table: v4, v6, and look-alikes."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("login fra 85.191.12.7 i går", ["85.191.12.7"]),
    ("server 10.0.0.1.", ["10.0.0.1"]),
    ("from 2001:db8:85a3::8a2e:370:7334 on", ["2001:db8:85a3::8a2e:370:7334"]),
    ("loopback ::1 and fe80::1ff:fe23:4567:890a", ["::1", "fe80::1ff:fe23:4567:890a"]),
    ("mapped ::ffff:192.0.2.128 ok", ["::ffff:192.0.2.128"]),
    ("bad 256.1.1.1 and 1.2.3", []),
    ("version 1.2.3.4 of the app", []),
    ("at 14:33:05 today", []),
    ("1.2.3.4.5", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_ip_address(text: str, expected: list[str]) -> None:
    assert spans("ip_address", text) == [("ip_address", e) for e in expected]
