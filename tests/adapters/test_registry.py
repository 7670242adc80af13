"""Adapters are found only through the `datavagt.adapters` entry points."""

from __future__ import annotations

import pytest

from plugin.vendors import registry
from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterConfigError, UnknownAdapterError


def test_three_adapters_are_installed() -> None:
    assert {"freshdesk", "hubspot", "dynamics"} <= set(registry.available())
    for name in ("freshdesk", "hubspot", "dynamics"):
        cls = registry.adapter_class(name)
        assert issubclass(cls, Adapter) and cls.name == name


def test_unknown_adapter() -> None:
    with pytest.raises(UnknownAdapterError):
        registry.adapter_class("zendesk")


def test_load_adapters_builds_only_configured_vendors() -> None:
    settings = {
        "hubspot": {"token": "t", "client_secret": "s"},
        "freshdesk": {},
    }
    adapters = registry.load_adapters(settings)
    assert list(adapters) == ["hubspot"]


def test_partly_configured_vendor_names_the_missing_variable() -> None:
    with pytest.raises(AdapterConfigError, match="DATAVAGT_DYNAMICS_CLIENT_SECRET"):
        registry.load_adapters(
            {
                "dynamics": {
                    "org_url": "https://o.crm4.dynamics.com",
                    "tenant_id": "t",
                    "client_id": "c",
                    "webhook_key": "k",
                }
            }
        )


def test_settings_object_with_vendor_method() -> None:
    class Settings:
        def vendor(self, name: str) -> dict[str, str]:
            return {"token": "t", "client_secret": "s"} if name == "hubspot" else {}

    assert list(registry.load_adapters(Settings())) == ["hubspot"]
