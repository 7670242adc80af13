"""Find vendor adapters through the `datavagt.adapters` entry-point group."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points

from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterConfigError, UnknownAdapterError

GROUP = "datavagt.adapters"

SettingsLookup = Callable[[str], Mapping[str, str]]


def available() -> dict[str, EntryPoint]:
    """Return the installed adapter entry points by name."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def adapter_class(name: str) -> type[Adapter]:
    """Load the adapter class an entry point names; UnknownAdapterError if none does."""
    eps = available()
    if name not in eps:
        raise UnknownAdapterError(f"no adapter named {name!r} in entry-point group {GROUP}")
    cls = eps[name].load()
    if not (isinstance(cls, type) and issubclass(cls, Adapter)):
        raise UnknownAdapterError(f"entry point {name!r} does not name an Adapter subclass")
    return cls


def is_enabled(settings: Mapping[str, str]) -> bool:
    """A vendor is enabled when any of its variables is set."""
    return any(value not in (None, "") for value in settings.values())


def build(name: str, settings: Mapping[str, str]) -> Adapter:
    """Build one adapter from its settings dict (prefix stripped, lower-case keys)."""
    cls = adapter_class(name)
    prefix = f"DATAVAGT_{name.upper()}_"
    for key in cls.required_settings():
        if not settings.get(key):
            raise AdapterConfigError(
                f"{prefix}{key.upper()} is not set ({name} is partly configured)"
            )
    return cls.from_settings(settings)


def load_adapters(settings: object) -> dict[str, Adapter]:
    """Build every enabled adapter; `settings` has `.vendor(name)` or is a name → dict map."""
    lookup = _lookup(settings)
    adapters: dict[str, Adapter] = {}
    for name in sorted(available()):
        vendor_settings = lookup(name)
        if is_enabled(vendor_settings):
            adapters[name] = build(name, vendor_settings)
    return adapters


def _lookup(settings: object) -> SettingsLookup:
    """Accept the core's Settings object or a plain mapping of vendor dicts."""
    vendor = getattr(settings, "vendor", None)
    if callable(vendor):
        return lambda name: vendor(name) or {}
    if isinstance(settings, Mapping):
        return lambda name: settings.get(name) or {}
    raise TypeError("settings must have .vendor(name) or be a mapping")
