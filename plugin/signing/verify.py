"""``datavagt verify FILE``: dispatch on the file's ``"type"`` to a registered verifier.

To add a kind of signed file, add ``"<type>": "module.path:function"`` to VERIFIERS (or a
callable). A verifier takes ``(document: dict, keys: KeySource)``, returns a one-line summary
and raises VerificationError (or SignatureError) naming the first problem.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plugin.signing.jws import KeySource, SignatureError

Verifier = Callable[[dict[str, Any], KeySource], str]

# Resolved lazily so this module imports no capability (and none imports it back).
VERIFIERS: dict[str, str | Verifier] = {
    "datavagt.audit.checkpoints": "plugin.audit.checkpoint_file:verify_file",
    "deletion_evidence": "plugin.retention.evidence:verify_file",
    "deletion_certificate": "plugin.erasure.certificate:verify_file",
    "datavagt.access_export": "plugin.rights.signature:verify_file",
    "consent_receipt": "plugin.consent.receipt:verify_file",
    "datavagt.ropa": "plugin.ropa.versions:verify_file",
    "datavagt.dpia": "plugin.dpia.service:verify_file",
}


# Signed files that are not JSON (e.g. the readable export page): a marker in the text and
# the verifier taking ``(text: str, keys: KeySource)``.
TEXT_VERIFIERS: dict[str, str] = {
    'name="datavagt-signature"': "plugin.rights.signature:verify_page_text",
}


class VerificationError(Exception):
    """The file is not what it claims; the message names the first problem."""


def _resolve(entry: str | Verifier) -> Verifier:
    if callable(entry):
        return entry
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


def verify_document(document: Any, keys: KeySource) -> str:
    """Verify a loaded document with the verifier for its ``type``; returns a summary line."""
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise VerificationError('not a Datavagt signed file (no "type" field)')
    entry = VERIFIERS.get(document["type"])
    if entry is None:
        known = ", ".join(sorted(VERIFIERS))
        raise VerificationError(f"unknown file type {document['type']!r} (known: {known})")
    try:
        return _resolve(entry)(document, keys)
    except SignatureError as exc:
        raise VerificationError(str(exc)) from exc


def verify_file(path: Path, keys: KeySource) -> str:
    """Read a JSON file and verify it; VerificationError for unreadable or bad files."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise VerificationError(f"cannot read {path} ({exc.strerror})") from exc
    except ValueError as exc:
        raise VerificationError(f"{path} is not a JSON file") from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        for marker, entry in TEXT_VERIFIERS.items():
            if marker in text:
                try:
                    return _resolve(entry)(text, keys)  # type: ignore[arg-type]
                except SignatureError as bad:
                    raise VerificationError(str(bad)) from bad
        raise VerificationError(f"{path} is not a JSON file") from exc
    return verify_document(document, keys)
