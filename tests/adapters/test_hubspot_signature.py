"""HubSpot signatures v1, v2, v3 (known-answer vector from HubSpot's docs)."""

from __future__ import annotations

import time

import pytest

from adapters.hubspot.signature import sign_v1, sign_v2, sign_v3, verify
from plugin.vendors.contract import WebhookRequest
from plugin.vendors.errors import WebhookAuthError

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
URI = "https://www.example.com/webhook_uri"
BODY = b"{'example_field':'example_value'}"


def test_v3_known_answer() -> None:
    assert sign_v3(SECRET, "POST", URI, BODY, "15000000") == (
        "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="
    )


def _v3(body: bytes = BODY, stamp: int | None = None, **headers: str) -> WebhookRequest:
    ts = str(stamp if stamp is not None else int(time.time() * 1000))
    base = {
        "X-HubSpot-Signature-Version": "v3",
        "X-HubSpot-Request-Timestamp": ts,
        "X-HubSpot-Signature-v3": sign_v3(SECRET, "POST", URI, BODY, ts),
    }
    base.update(headers)
    return WebhookRequest("POST", URI, base, body)


def test_v3_accepts_fresh_and_known_vector_at_its_time() -> None:
    verify(_v3(), SECRET)
    verify(_v3(stamp=15000000), SECRET, now_ms=15000000 + 299_000)


@pytest.mark.parametrize(
    "request_",
    [
        _v3(body=BODY + b" "),  # tampered body
        _v3(stamp=int(time.time() * 1000) - 301_000),  # stale
        _v3(**{"X-HubSpot-Request-Timestamp": "abc"}),
        _v3(**{"X-HubSpot-Signature-v3": "AAAA"}),
        WebhookRequest("POST", URI, {}, BODY),  # unsigned
    ],
)
def test_v3_rejects(request_: WebhookRequest) -> None:
    with pytest.raises(WebhookAuthError):
        verify(request_, SECRET)


def test_v3_signs_the_full_url_as_called() -> None:
    request = _v3()
    moved = WebhookRequest("POST", URI + "?x=1", request.headers, request.body)
    with pytest.raises(WebhookAuthError):
        verify(moved, SECRET)


def test_v1_and_v2() -> None:
    v1 = {"X-HubSpot-Signature-Version": "v1", "X-HubSpot-Signature": sign_v1(SECRET, BODY)}
    verify(WebhookRequest("POST", URI, v1, BODY), SECRET)
    v2 = {
        "X-HubSpot-Signature-Version": "v2",
        "X-HubSpot-Signature": sign_v2(SECRET, "POST", URI, BODY),
    }
    verify(WebhookRequest("POST", URI, v2, BODY), SECRET)
    with pytest.raises(WebhookAuthError):
        verify(WebhookRequest("POST", URI, v2, BODY + b"x"), SECRET)
