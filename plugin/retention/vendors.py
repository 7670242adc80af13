"""The process's vendor adapters: the app's shared set (one HTTP client and limiter each)."""

from __future__ import annotations

import threading

from flask import Flask

from plugin.vendors.contract import Adapter
from plugin.vendors.registry import load_adapters

EXTENSION = "datavagt.adapters"  # filled by create_app; every subsystem shares it
_lock = threading.Lock()


def adapters(app: Flask) -> dict[str, Adapter]:
    """Enabled adapters by vendor name; dispatcher threads share one client per vendor."""
    with _lock:
        built = app.extensions.get(EXTENSION)
        if built is None:
            built = load_adapters(app.extensions["datavagt.settings"])
            app.extensions[EXTENSION] = built
        return built


def close_adapters(app: Flask) -> None:
    """Release the HTTP sessions (end of a command or test)."""
    with _lock:
        for adapter in (app.extensions.get(EXTENSION) or {}).values():
            adapter.close()
