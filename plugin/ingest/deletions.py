"""The hook through which a vendor's deletion event reaches the erasure subsystem.

Data flows one way (webhook → inbox → classify → vault → vendor) and erasure sits above
ingest, so ingest never imports it: ``plugin.erasure`` registers its handler here when the
app is built, and the inbox processor calls whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from plugin.ingest.errors import IngestError
from plugin.vendors.contract import Adapter

EXTENSION = "datavagt.deletion_handler"
# (event, adapter) -> outcome word; raises EventParked under a legal hold.
DeletionHandler = Callable[[Any, Adapter], str]


def register_deletion_handler(app: Flask, handler: DeletionHandler) -> None:
    """Install the function that mirrors vendor deletions (one per app)."""
    app.extensions[EXTENSION] = handler


def handle_deletion(event: Any, adapter: Adapter) -> str:
    """Hand a deletion event to the registered handler; IngestError (retried) without one."""
    handler: DeletionHandler | None = current_app.extensions.get(EXTENSION)
    if handler is None:
        raise IngestError("no deletion handler is registered")
    return handler(event, adapter)
