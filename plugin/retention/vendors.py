"""The process's vendor adapters: built once, shared by dispatcher threads (one limiter each)."""

from __future__ import annotations

import threading

from flask import Flask

from plugin.vendors.contract import Adapter
from plugin.vendors.registry import load_adapters

EXTENSION = "datavagt.retention.adapters"
_lock = threading.Lock()


def adapters(app: Flask) -> dict[str, Adapter]:
    """Enabled adapters by vendor name; every thread shares one HTTP client per vendor."""
    with _lock:
        built = app.extensions.get(EXTENSION)
        if built is None:
            built = load_adapters(app.extensions["datavagt.settings"])
            app.extensions[EXTENSION] = built
        return built


def close_adapters(app: Flask) -> None:
    """Release the HTTP sessions (end of a command or test)."""
    with _lock:
        for adapter in (app.extensions.pop(EXTENSION, None) or {}).values():
            adapter.close()
