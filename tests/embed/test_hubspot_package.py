"""The HubSpot project (static/embed/hubspot) against HubSpot's documented 2025.2 schema.

Facts checked, from developers.hubspot.com:
- apps/developer-platform/add-features/configure-webhooks: a ``webhooks`` folder under
  ``src/app`` with a ``*-hsmeta.json`` whose required keys are ``uid``, ``type`` ("webhooks")
  and ``config.settings`` (``targetUrl``, ``maxConcurrentRequests``) plus
  ``config.subscriptions`` with ``crmObjects`` (generic ``object.*`` + ``objectType``),
  ``legacyCrmObjects`` (classic ``contact.creation`` ...) and ``hubEvents``
  (``contact.privacyDeletion``). Classic ``*.propertyChange`` subscriptions name a
  ``propertyName``.
- Scopes per API: the reference page of each endpoint (tickets, contacts incl. gdpr-delete,
  files gdpr-delete, conversations threads; e-mail bodies need ``sales-email-read``, see
  adapters/hubspot/config.py).
Not checked here: ``hs project upload`` / ``hs project lint`` (need a HubSpot account and the
CLI's dev dependencies).
"""

import json
import re
from pathlib import Path

import pytest

from adapters.hubspot import config, webhook

ROOT = Path(__file__).resolve().parents[2] / "static" / "embed" / "hubspot"
VALUES = {"DATAVAGT_PUBLIC_URL": "https://dv.acme.dk", "DATAVAGT_SUPPORT_EMAIL": "dpo@acme.dk"}

# Which HubSpot scope each adapter endpoint needs (any one of the set suffices).
ENDPOINT_SCOPES = {
    "ticket": {"tickets"},
    "tickets": {"tickets"},
    "ticket_search": {"tickets"},
    "ticket_contacts": {"tickets"},
    "ticket_associations": {"tickets"},
    "contacts": {"crm.objects.contacts.write"},
    "contact": {"crm.objects.contacts.write"},
    "gdpr_delete": {"crm.objects.contacts.write"},
    "engagement": {"tickets", "crm.objects.contacts.write"},
    "engagement_batch_read": {"sales-email-read"},
    "file_gdpr_delete": {"files"},
    "threads": {"conversations.read"},
    "thread": {"conversations.write"},
}


def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _webhooks():
    files = sorted((ROOT / "src" / "app" / "webhooks").glob("*-hsmeta.json"))
    assert len(files) == 1, files
    return _json(files[0])


def test_project_is_on_platform_2025_2():
    assert _json(ROOT / "hsproject.json")["platformVersion"] == "2025.2"


def test_webhooks_component_has_the_documented_required_keys():
    doc = _webhooks()
    assert doc["type"] == "webhooks" and re.fullmatch(r"[a-z0-9_]+", doc["uid"])
    settings = doc["config"]["settings"]
    assert settings["targetUrl"] == "{{DATAVAGT_PUBLIC_URL}}/webhooks/hubspot"
    assert isinstance(settings["maxConcurrentRequests"], int)
    subs = doc["config"]["subscriptions"]
    assert set(subs) <= {"crmObjects", "legacyCrmObjects", "hubEvents"}
    for item in subs.get("crmObjects", []):
        assert item["subscriptionType"].startswith("object.") and item["objectType"]
    for item in subs.get("legacyCrmObjects", []):
        assert not item["subscriptionType"].startswith("object.")
        if item["subscriptionType"].endswith(".propertyChange"):
            assert item["propertyName"]
    for item in subs.get("crmObjects", []) + subs["legacyCrmObjects"] + subs["hubEvents"]:
        assert item["active"] is True


def _delivery(item, n):
    """A delivery as HubSpot sends it for this subscription (webhooks guide payload)."""
    event = {
        "eventId": n,
        "subscriptionId": 7,
        "portalId": 1,
        "occurredAt": 1765152000000,
        "subscriptionType": item["subscriptionType"],
        "attemptNumber": 0,
        "objectId": 42,
        "changeSource": "CRM_UI",
    }
    if item["subscriptionType"] == "object.associationChange":
        event |= {
            "fromObjectTypeId": "0-5",
            "fromObjectId": 42,
            "toObjectTypeId": "0-49",
            "toObjectId": 9,
        }
    if "propertyName" in item:
        event |= {"propertyName": item["propertyName"], "propertyValue": "x"}
    return event


def test_every_subscription_is_one_our_webhook_route_accepts():
    subs = _webhooks()["config"]["subscriptions"]
    items = subs["crmObjects"] + subs["legacyCrmObjects"] + subs["hubEvents"]
    body = json.dumps([_delivery(item, n) for n, item in enumerate(items)]).encode()
    events = webhook.parse(body)
    assert len(events) == len(items)  # none silently ignored
    kinds = {(e.object_type, e.kind) for e in events}
    for needed in [
        ("ticket", "created"),
        ("ticket", "updated"),
        ("ticket", "deleted"),
        ("contact", "updated"),
        ("contact", "deleted"),
        ("contact", "privacy_deletion"),
    ]:
        assert needed in kinds, needed


def test_property_subscriptions_cover_the_fields_we_read():
    legacy = _webhooks()["config"]["subscriptions"]["legacyCrmObjects"]
    watched = {
        (item["subscriptionType"].split(".")[0], item["propertyName"])
        for item in legacy
        if "propertyName" in item
    }
    for name in config.TEXT_FIELDS:
        assert ("ticket", name) in watched
    for name in config.CONTACT_PROPERTIES:
        assert ("contact", name) in watched


def test_scopes_cover_every_adapter_endpoint():
    app = _json(ROOT / "src" / "app" / "app-hsmeta.json")
    scopes = set(app["config"]["auth"]["requiredScopes"])
    assert set(config.ENDPOINTS) == set(ENDPOINT_SCOPES), "map the new endpoint to its scope"
    for endpoint, needs in ENDPOINT_SCOPES.items():
        assert needs & scopes, (endpoint, needs)
    # GDPR delete and rewrites of contacts; e-mail bodies are redacted without this one
    assert {"crm.objects.contacts.write", "sales-email-read"} <= scopes


def test_no_latest_pins_and_no_placeholder_host():
    for path in ROOT.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "example.com" not in text, path
            if path.name == "package.json":
                package = _json(path)
                pins = package.get("dependencies", {}) | package.get("devDependencies", {})
                for version in pins.values():
                    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
                # `hs project lint` needs these (HubSpot CLI 8.14 lists them when missing)
                assert {"eslint", "@hubspot/eslint-config-ui-extensions"} <= set(pins)
                lock = _json(path.with_name("package-lock.json"))["packages"]
                for name, version in pins.items():
                    assert lock[f"node_modules/{name}"]["version"] == version, name


def test_build_fills_in_the_installation_url(embed_build, tmp_path):
    files = embed_build.build("hubspot", tmp_path, VALUES)
    assert files
    for path in files:
        assert "{{" not in path.read_text(encoding="utf-8"), path
    hook = _json(next((tmp_path / "src" / "app" / "webhooks").glob("*-hsmeta.json")))
    assert hook["config"]["settings"]["targetUrl"] == "https://dv.acme.dk/webhooks/hubspot"
    app = _json(tmp_path / "src" / "app" / "app-hsmeta.json")
    assert app["config"]["permittedUrls"]["fetch"] == ["https://dv.acme.dk"]
    card = (tmp_path / "src" / "app" / "cards" / "DatavagtCard.jsx").read_text(encoding="utf-8")
    assert 'const DATAVAGT = "https://dv.acme.dk";' in card


@pytest.mark.parametrize(
    "url",
    ["http://dv.acme.dk", "https://dv.acme.dk/sub", "https://datavagt.example.com", "dv.acme.dk"],
)
def test_build_refuses_a_url_hubspot_cannot_call(embed_build, url):
    with pytest.raises(embed_build.BuildError):
        embed_build.public_url(url)


def test_build_cli_reports_a_clear_error(embed_build, tmp_path, capsys):
    code = embed_build.main(
        ["hubspot", "--public-url", "http://x", "--support-email", "a@b.dk", "--out", str(tmp_path)]
    )
    assert code == 2
    assert "must be an https:// URL" in capsys.readouterr().err
