"""Webhook payload shapes the vendors really send, normalised to id-only events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from adapters.dynamics import webhook as dynamics
from adapters.freshdesk import webhook as freshdesk
from adapters.hubspot import webhook as hubspot
from adapters.timeparse import parse_wcf
from plugin.vendors.contract import WebhookRequest
from plugin.vendors.errors import WebhookAuthError, WebhookPayloadError


def test_freshdesk_minimal_and_wrapper_shapes() -> None:
    minimal = freshdesk.parse(b'{"ticket_id": "11"}')
    assert minimal[0].object_id == "11" and minimal[0].kind == "updated"
    wrapped = freshdesk.parse(
        json.dumps(
            {
                "freshdesk_webhook": {
                    "ticket_id": 11,
                    "ticket_subject": "Hi",
                    "requester_email": "a@b.dk",
                    "triggered_event": "{ticket_action:created}",
                    "ticket_updated_at": "2024-05-01T10:00:00Z",
                }
            }
        ).encode()
    )
    event = wrapped[0]
    assert (event.kind, event.object_id) == ("created", "11")
    assert event.event_key == "ticket:11:created:2024-05-01T10:00:00+00:00"
    assert "a@b.dk" not in json.dumps(event.to_payload())


def test_freshdesk_key_without_timestamp_is_body_hash_per_minute() -> None:
    at = datetime(2024, 5, 1, 10, 0, 5, tzinfo=UTC)
    first = freshdesk.parse(b'{"ticket_id": "11"}', at)[0].event_key
    again = freshdesk.parse(b'{"ticket_id": "11"}', at + timedelta(seconds=20))[0].event_key
    later = freshdesk.parse(b'{"ticket_id": "11"}', at + timedelta(minutes=2))[0].event_key
    assert first == again != later


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"ticket_id": "abc"}', b"{}", b'{"freshdesk_webhook": 3}']
)
def test_freshdesk_malformed(body: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        freshdesk.parse(body)


def test_freshdesk_basic_auth() -> None:
    good = {"Authorization": "Basic dTpw"}  # u:p
    freshdesk.verify(WebhookRequest("POST", "http://x/", good, b""), "u", "p")
    with pytest.raises(WebhookAuthError):
        freshdesk.verify(WebhookRequest("POST", "http://x/", good, b""), "u", "q")


def _hubspot_event(**overrides: object) -> dict[str, object]:
    event: dict[str, object] = {
        "eventId": 1,
        "subscriptionId": 25,
        "portalId": 33,
        "appId": 1160452,
        "occurredAt": 1567806187000,
        "subscriptionType": "ticket.propertyChange",
        "attemptNumber": 0,
        "objectId": 123,
        "changeSource": "CRM",
        "propertyName": "subject",
        "propertyValue": "CPR 070761-4285",
    }
    event.update(overrides)
    return event


def test_hubspot_batch_with_string_ids_eventtype_and_duplicates() -> None:
    batch = [
        _hubspot_event(),
        _hubspot_event(),  # duplicate delivery in the same batch
        _hubspot_event(
            eventId="2",
            objectId="124",
            subscriptionType=None,
            eventType="contact.privacyDeletion",
            attemptNumber=3,
        ),
        _hubspot_event(eventId=3, subscriptionType="deal.creation"),  # not ours: ignored
    ]
    events = hubspot.parse(json.dumps(batch).encode())
    assert len(events) == 3
    assert events[0].event_key == events[1].event_key == "25:1:1567806187000:123"
    assert events[2].kind == "privacy_deletion" and events[2].object_type == "contact"
    assert events[2].attempt == 3
    assert "070761" not in json.dumps([e.to_payload() for e in events])


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b"[1]",
        json.dumps([_hubspot_event(occurredAt="yesterday")]).encode(),
        json.dumps([_hubspot_event(objectId=None)]).encode(),
        json.dumps([_hubspot_event()] * 101).encode(),
    ],
)
def test_hubspot_malformed(body: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        hubspot.parse(body)


def _context(**overrides: object) -> dict[str, object]:
    context: dict[str, object] = {
        "BusinessUnitId": "a1",
        "CorrelationId": "c1",
        "Depth": 1,
        "InitiatingUserId": "{75C2DC5D-A5D1-E711-A959-000D3A1A941E}",
        "MessageName": "Update",
        "Mode": 1,
        "OperationCreatedOn": "/Date(1506409448000-0700)/",
        "OperationId": "op-1",
        "PrimaryEntityId": "C4A8F0D1-44A7-E711-A94D-000D3A1A7A9B",
        "PrimaryEntityName": "incident",
        "Stage": 40,
        "InputParameters": [
            {
                "key": "Target",
                "value": {
                    "__type": "Entity:http://schemas.microsoft.com/xrm/2011/Contracts",
                    "Attributes": [{"key": "title", "value": "CPR 070761-4285"}],
                    "Id": "c4a8f0d1-44a7-e711-a94d-000d3a1a7a9b",
                    "LogicalName": "incident",
                },
            }
        ],
    }
    context.update(overrides)
    return context


def test_dynamics_context_with_wcf_dates_and_size_exceeded_shape() -> None:
    event = dynamics.parse(json.dumps(_context()).encode())[0]
    assert event.object_id == "c4a8f0d1-44a7-e711-a94d-000d3a1a7a9b"
    assert event.actor == "75c2dc5d-a5d1-e711-a959-000d3a1a941e"
    assert event.occurred_at == datetime(2017, 9, 26, 7, 4, 8, tzinfo=UTC)
    small = _context()
    del small["InputParameters"]  # x-ms-dynamics-msg-size-exceeded drops it
    assert dynamics.parse(json.dumps(small).encode())[0].event_key == event.event_key
    assert dynamics.parse(json.dumps(_context(PrimaryEntityName="account")).encode()) == []


def test_wcf_offset_keeps_the_instant() -> None:
    parsed = parse_wcf("/Date(1506409448000-0700)/")
    assert parsed is not None and parsed.utcoffset() == -timedelta(hours=7)
    assert parsed.astimezone(UTC) == datetime.fromtimestamp(1506409448, tz=UTC)
    assert parse_wcf("/Date(1506384247000)/") == datetime(2017, 9, 26, 0, 4, 7, tzinfo=UTC)
    assert parse_wcf("2017") is None


@pytest.mark.parametrize("body", [b"[]", b"x", json.dumps(_context(MessageName=None)).encode()])
def test_dynamics_malformed(body: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        dynamics.parse(body)


def test_dynamics_key_and_header_auth() -> None:
    dynamics.verify(WebhookRequest("POST", "https://s/webhooks/dynamics?code=k1", {}, b""), "k1")
    with pytest.raises(WebhookAuthError):
        dynamics.verify(
            WebhookRequest("POST", "https://s/webhooks/dynamics?code=k2", {}, b""), "k1"
        )
    dynamics.verify(
        WebhookRequest("POST", "https://s/", {"x-api-key": "k1"}, b""), "k1", "X-Api-Key"
    )
    with pytest.raises(WebhookAuthError):
        dynamics.verify(WebhookRequest("POST", "https://s/?code=k1", {}, b""), "k1", "X-Api-Key")


CASE = "C4A8F0D1-44A7-E711-A94D-000D3A1A7A9B"
REF_TYPE = "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts"


def _reference(logical: str = "incident", rid: object = "{" + CASE + "}") -> dict[str, object]:
    return {"__type": REF_TYPE, "Id": rid, "LogicalName": logical, "Name": "Opkald"}


def _activity(
    entity: str = "email", link: str = "regardingobjectid", value: object = None, **over: object
) -> dict[str, object]:
    """An email/annotation Create context whose Target carries the case lookup."""
    activity = "0A1B2C3D-0000-4000-8000-00000000E001"
    target = {
        "__type": "Entity:http://schemas.microsoft.com/xrm/2011/Contracts",
        "Attributes": [
            {"key": "description", "value": "<p>CPR 070761-4285</p>"},
            {"key": link, "value": _reference() if value is None else value},
        ],
        "Id": activity.lower(),
        "LogicalName": entity,
    }
    context = _context(
        MessageName="Create",
        PrimaryEntityName=entity,
        PrimaryEntityId=activity,
        InputParameters=[{"key": "Target", "value": target}],
        PostEntityImages=[],
    )
    context.update(over)
    return context


def test_dynamics_email_regarding_a_case_is_an_update_of_the_case() -> None:
    [event] = dynamics.parse(json.dumps(_activity()).encode())
    assert (event.object_type, event.kind) == ("ticket", "updated")
    assert event.object_id == CASE.lower()
    assert event.event_key.startswith("email:0a1b2c3d-0000-4000-8000-00000000e001:Create:op-1")
    assert "070761" not in json.dumps(event.to_payload())
    note = dynamics.parse(json.dumps(_activity("annotation", "objectid")).encode())[0]
    assert (note.object_type, note.object_id, note.kind) == ("ticket", CASE.lower(), "updated")
    assert note.event_key.startswith("annotation:") and note.event_key != event.event_key


def test_dynamics_note_update_finds_the_case_in_its_post_image() -> None:
    context = _activity("annotation", "objectid")
    target = context["InputParameters"][0]["value"]  # type: ignore[index]
    target["Attributes"] = [{"key": "notetext", "value": "ny tekst"}]  # objectid unchanged
    assert dynamics.parse(json.dumps(context).encode()) == []
    image = {
        "__type": "Entity:http://schemas.microsoft.com/xrm/2011/Contracts",
        "Attributes": [{"key": "objectid", "value": _reference()}],
        "Id": target["Id"],
        "LogicalName": "annotation",
    }
    context["PostEntityImages"] = [{"key": "AsynchronousStepPrimaryName", "value": image}]
    context["MessageName"] = "Update"
    [event] = dynamics.parse(json.dumps(context).encode())
    assert (event.object_id, event.kind) == (CASE.lower(), "updated")


@pytest.mark.parametrize(
    "context",
    [
        _activity(value=_reference("account")),  # regarding an account
        _activity("annotation", "objectid", value=_reference("contact")),
        _activity(InputParameters=[]),  # no Target
        _activity(
            MessageName="Delete", InputParameters=[{"key": "Target", "value": _reference("email")}]
        ),
        _context(
            PrimaryEntityName="phonecall", PrimaryEntityId="0a1b2c3d-0000-4000-8000-00000000e001"
        ),
    ],
)
def test_dynamics_activity_not_about_a_case_is_ignored(context: dict[str, object]) -> None:
    assert dynamics.parse(json.dumps(context).encode()) == []


def test_dynamics_cut_down_activity_body_is_ignored() -> None:
    small = _activity()
    for key in ("InputParameters", "PostEntityImages"):  # x-ms-dynamics-msg-size-exceeded
        del small[key]
    assert dynamics.parse(json.dumps(small).encode()) == []


@pytest.mark.parametrize(
    "context",
    [
        _activity(value="c4a8f0d1-44a7-e711-a94d-000d3a1a7a9b"),  # a bare string
        _activity(value={"LogicalName": "incident", "Id": CASE}),  # no __type
        _activity(value=_reference(rid="not-a-guid")),
        _activity(value=_reference(rid=None)),
        _activity(value={"__type": REF_TYPE, "Id": CASE}),  # no LogicalName
        _activity(InputParameters={"Target": {}}),
        _activity(InputParameters=[{"key": "Target", "value": "x"}]),
        _activity(InputParameters=[{"value": {}}]),
        _activity(PostEntityImages="image"),
        _activity(PrimaryEntityId="42"),
    ],
)
def test_dynamics_malformed_activity_is_refused(context: dict[str, object]) -> None:
    with pytest.raises(WebhookPayloadError):
        dynamics.parse(json.dumps(context).encode())


def test_dynamics_activity_with_a_malformed_attribute_list_is_refused() -> None:
    context = _activity()
    context["InputParameters"][0]["value"]["Attributes"] = {"regardingobjectid": 1}  # type: ignore[index]
    with pytest.raises(WebhookPayloadError):
        dynamics.parse(json.dumps(context).encode())
