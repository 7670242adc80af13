"""The Freshdesk app (static/embed/freshdesk) against the Freshworks platform 3.0 docs.

Facts checked, from developers.freshworks.com:
- app-sdk/v3.0 "Configure app manifest" / tutorial "Declaring App Manifest": top-level
  ``platform-version`` "3.0", ``modules`` (``common`` for requests, ``support_ticket`` with
  ``location.ticket_sidebar`` ``url`` + ``icon``, both relative to ``app/``) and ``engines``;
  2.3's ``product`` and ``whitelisted-domains`` are gone (request templates instead).
- developer-copilot "Compatibility matrix" and the v3.0 "What's new" (FDK v10.1.2, May 2026):
  Node.js 24.x with FDK 10.x; Node 18.x deprecated for new apps on 20 March 2026.
- v3.0 "Request templates": ``config/requests.json`` keyed by the names in
  ``modules.common.requests``; ``schema.host`` a bare FQDN (no scheme or path), iparams
  substituted with ``<%= iparam.name %>``; ``protocol`` https.
Not checked here: ``fdk validate`` and ``fdk pack`` (the FDK is not on npm; it needs a
Freshworks developer setup), and the install into a Freshdesk account.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "static" / "embed" / "freshdesk"
MODULES_3_0 = {
    "common",
    "support_email",
    "support_ticket",
    "support_contact",
    "support_company",
    "support_portal",
    "support_agent",
    "service_ticket",
}


def _json(*parts):
    return json.loads(ROOT.joinpath(*parts).read_text(encoding="utf-8"))


def test_manifest_is_platform_3_0_with_modules():
    manifest = _json("manifest.json")
    assert manifest["platform-version"] == "3.0"
    assert set(manifest) <= {"platform-version", "modules", "engines", "dependencies"}
    assert "product" not in manifest and "whitelisted-domains" not in manifest
    assert set(manifest["modules"]) <= MODULES_3_0
    sidebar = manifest["modules"]["support_ticket"]["location"]["ticket_sidebar"]
    assert (ROOT / "app" / sidebar["url"]).is_file()
    assert (ROOT / "app" / sidebar["icon"]).is_file()


def test_engines_are_the_supported_node_and_fdk():
    engines = _json("manifest.json")["engines"]
    assert re.fullmatch(r"24\.\d+\.\d+", engines["node"]), engines
    assert re.fullmatch(r"10\.\d+\.\d+", engines["fdk"]), engines


def test_request_templates_match_the_manifest_and_the_docs():
    declared = set(_json("manifest.json")["modules"]["common"]["requests"])
    templates = _json("config", "requests.json")
    iparams = _json("config", "iparams.json")
    assert declared == set(templates)
    script = (ROOT / "app" / "scripts" / "app.js").read_text(encoding="utf-8")
    assert set(re.findall(r'invokeTemplate\("([^"]+)"', script)) <= declared
    for template in templates.values():
        schema = template["schema"]
        assert schema["protocol"] == "https"
        assert "/" not in schema["host"] and "://" not in schema["host"]
        used = re.findall(r"<%= iparam\.(\w+) %>", json.dumps(schema))
        assert used and set(used) <= set(iparams)
