"""HubSpot signatures v1, v2, v3 (known-answer vector from HubSpot's docs)."""

from __future__ import annotations

import json
import time

import pytest

from adapters.hubspot.signature import ReplayGuard, sign_v1, sign_v2, sign_v3, v3_uri, verify
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


NOW_MS = 1_800_000_000_000
DAY_MS = 24 * 60 * 60 * 1000


def _batch(occurred: int) -> bytes:
    event = {"eventId": 1, "subscriptionId": 2, "occurredAt": occurred, "objectId": 3}
    return json.dumps([{**event, "subscriptionType": "ticket.deletion"}]).encode()


def _legacy(version: str, body: bytes, uri: str = URI) -> WebhookRequest:
    given = sign_v1(SECRET, body) if version == "v1" else sign_v2(SECRET, "POST", uri, body)
    headers = {"X-HubSpot-Signature-Version": version, "X-HubSpot-Signature": given}
    return WebhookRequest("POST", uri, headers, body)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_v1_and_v2_only_when_enabled_and_fresh(version: str) -> None:
    fresh = _batch(NOW_MS - 23 * 60 * 60 * 1000)  # a retry late in HubSpot's 24 h span
    verify(_legacy(version, fresh), SECRET, NOW_MS, legacy=True)
    with pytest.raises(WebhookAuthError, match="not enabled"):
        verify(_legacy(version, fresh), SECRET, NOW_MS)  # off by default
    signed = _legacy(version, fresh)
    tampered = WebhookRequest("POST", URI, signed.headers, fresh + b" ")
    with pytest.raises(WebhookAuthError, match="does not match"):
        verify(tampered, SECRET, NOW_MS, legacy=True)


@pytest.mark.parametrize("age_ms", [30 * DAY_MS, 365 * DAY_MS, -DAY_MS])
def test_a_year_old_or_month_old_legacy_delivery_is_refused(age_ms: int) -> None:
    """Red team: a 30-day-old and a year-old delivery with a valid v1 signature got in."""
    old = _batch(NOW_MS - age_ms)
    with pytest.raises(WebhookAuthError, match="stale"):
        verify(_legacy("v1", old), SECRET, NOW_MS, legacy=True)


def test_a_replayed_legacy_delivery_is_refused() -> None:
    guard = ReplayGuard()
    request = _legacy("v1", _batch(NOW_MS - 1000))
    verify(request, SECRET, NOW_MS, legacy=True, replays=guard)
    with pytest.raises(WebhookAuthError, match="replayed"):
        verify(request, SECRET, NOW_MS + 5000, legacy=True, replays=guard)


def test_the_version_header_cannot_downgrade_from_v3() -> None:
    """Red team: ``Version: v1`` plus a v1 signature bypassed the v3 5-minute window."""
    stale = int(time.time() * 1000) - 30 * DAY_MS
    body = _batch(int(time.time() * 1000))
    request = _v3(body=body, stamp=stale)
    downgraded = WebhookRequest(
        "POST",
        URI,
        {
            **request.headers,
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature": sign_v1(SECRET, body),
        },
        body,
    )
    with pytest.raises(WebhookAuthError, match="stale request timestamp"):
        verify(downgraded, SECRET, legacy=True)
    # Dropping the v3 signature but keeping its timestamp is a downgrade too.
    headers = {k: v for k, v in downgraded.headers.items() if k != "X-HubSpot-Signature-v3"}
    with pytest.raises(WebhookAuthError):
        verify(WebhookRequest("POST", URI, headers, body), SECRET, legacy=True)


def test_v3_signs_the_uri_with_hubspots_escapes_decoded() -> None:
    called = "https://www.example.com/webhook_uri?code=a%3Ab%2Cc%40d&q=%20x"
    assert v3_uri(called) == "https://www.example.com/webhook_uri?code=a:b,c@d&q=%20x"
    stamp = str(int(time.time() * 1000))
    # HubSpot signs the decoded form; the request arrives percent-encoded.
    given = sign_v3(SECRET, "POST", v3_uri(called), BODY, stamp)
    headers = {"X-HubSpot-Request-Timestamp": stamp, "X-HubSpot-Signature-v3": given}
    verify(WebhookRequest("POST", called, headers, BODY), SECRET)
