"""The CRM-side snippets: well-formed, pointing at the right locations, tokens in fragments."""

from __future__ import annotations

import json
import re

import pytest

from plugin.config import ROOT

EMBED = ROOT / "static" / "embed"


def test_freshdesk_app_is_consistent() -> None:
    manifest = json.loads((EMBED / "freshdesk" / "manifest.json").read_text())
    sidebar = manifest["modules"]["support_ticket"]["location"]["ticket_sidebar"]
    assert (EMBED / "freshdesk" / "app" / sidebar["url"]).is_file()
    assert (EMBED / "freshdesk" / "app" / sidebar["icon"]).is_file()
    requests = json.loads((EMBED / "freshdesk" / "config" / "requests.json").read_text())
    assert set(manifest["modules"]["common"]["requests"]) == set(requests)
    schema = requests["datavagtExchange"]["schema"]
    assert schema["path"] == "/auth/exchange/freshdesk" and schema["method"] == "POST"
    # The secret is only templated server-side, from a secure installation parameter.
    assert schema["headers"]["X-Datavagt-App-Secret"] == "<%= iparam.datavagt_app_secret %>"
    iparams = json.loads((EMBED / "freshdesk" / "config" / "iparams.json").read_text())
    assert iparams["datavagt_app_secret"]["secure"] is True
    script = (EMBED / "freshdesk" / "app" / "scripts" / "app.js").read_text()
    assert "datavagt_app_secret" not in script and 'invokeTemplate("datavagtExchange"' in script
    # The agent's own API key goes to the exchange (Freshdesk's View Me names its owner).
    assert "agent_key: key" in script and "localStorage.removeItem(KEY_STORE)" in script


@pytest.mark.parametrize("name", ["datavagt-helpdesk-hsmeta.json", "datavagt-record-hsmeta.json"])
def test_hubspot_cards(name: str) -> None:
    card = json.loads((EMBED / "hubspot" / "src" / "app" / "cards" / name).read_text())
    assert card["type"] == "card"
    assert card["config"]["location"] in ("helpdesk.sidebar", "crm.record.sidebar")
    assert card["config"]["objectTypes"] == ["tickets"]
    entry = card["config"]["entrypoint"].lstrip("/")
    assert (EMBED / "hubspot" / "src" / entry).is_file()
    app = json.loads((EMBED / "hubspot" / "src" / "app" / "app-hsmeta.json").read_text())
    source = (EMBED / "hubspot" / "src" / entry).read_text()
    base = re.search(r'const DATAVAGT = "([^"]+)"', source).group(1)  # type: ignore[union-attr]
    assert base in app["config"]["permittedUrls"]["fetch"]
    assert base in app["config"]["permittedUrls"]["iframe"]
    assert "hubspot.fetch(`${DATAVAGT}/auth/exchange/hubspot`" in source


@pytest.mark.parametrize(
    "path",
    [
        "freshdesk/app/scripts/app.js",
        "hubspot/src/app/cards/DatavagtCard.jsx",
        "dynamics/datavagt_widget.html",
    ],
)
def test_token_only_in_the_fragment(path: str) -> None:
    source = (EMBED / path).read_text()
    assert '"#token=" + encodeURIComponent' in source or "#token=${encodeURIComponent" in source
    assert not re.search(r"[?&]token=", source)
