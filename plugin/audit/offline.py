"""Offline verification: an exported log or a saved proof, checked with only the public keys.

Needs no database and no key file: the JWK Set from ``/.well-known/jwks.json`` (public keys)
and the file. What is checked, step by step, is what docs/audit.md tells an
auditor to re-implement (SHA-256, RFC 9162, Ed25519 JWS).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from plugin.audit.canonical import GENESIS_HASH, HASHED_FIELDS, canonical_json
from plugin.audit.checkpoints import CHECKPOINT_TYP
from plugin.audit.merkle import Frontier, ProofError, leaf_hash, verify_consistency
from plugin.audit.merkle import verify_inclusion as merkle_inclusion
from plugin.audit.proofs import CONSISTENCY_TYPE, INCLUSION_TYPE, VERSION, event_content
from plugin.signing.jws import KeySource, SignatureError, verify_compact

LOG_TYPE = "datavagt.audit.log"


class OfflineError(Exception):
    """The file does not verify; the message names the first failing item."""


def event_hash_of(event: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the event's hashed fields and ``prev_hash``."""
    body = {name: event.get(name) for name in (*HASHED_FIELDS, "prev_hash")}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _hex32(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise OfflineError(f"{what} is not a 32-byte hex hash")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise OfflineError(f"{what} is not a 32-byte hex hash") from exc


def _leaf(event: Any, where: str) -> bytes:
    """The event's leaf hash, after checking its hash covers its content."""
    if not isinstance(event, dict):
        raise OfflineError(f"{where}: not an event")
    if event_hash_of(event) != event.get("hash"):
        raise OfflineError(f"{where}: its hash does not match its content: the event was edited")
    return leaf_hash(_hex32(event["hash"], f"{where} hash"))


def _head(keys: KeySource, head: Any, where: str) -> tuple[int, bytes]:
    """(tree_size, root) of a signed tree head whose JWS verifies and matches its fields."""
    if not isinstance(head, dict) or not isinstance(head.get("jws"), str):
        raise OfflineError(f"{where}: no signed tree head")
    try:
        payload = verify_compact(keys, head["jws"], typ=CHECKPOINT_TYP)
    except SignatureError as exc:
        raise OfflineError(f"{where}: {exc}") from exc
    if "root_hash" not in payload or "tree_size" not in payload:
        raise OfflineError(f"{where}: the signature covers no Merkle root")
    for name in ("tree_size", "root_hash"):
        if head.get(name) != payload[name]:
            raise OfflineError(f"{where}: {name} differs from what was signed")
    size = payload["tree_size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise OfflineError(f"{where}: bad tree size")
    return size, _hex32(payload["root_hash"], f"{where} root_hash")


def _path(value: Any, what: str) -> list[bytes]:
    if not isinstance(value, list):
        raise OfflineError(f"{what} is not a list of hashes")
    return [_hex32(node, f"{what}[{index}]") for index, node in enumerate(value)]


def check_inclusion(document: dict[str, Any], keys: KeySource) -> str:
    """An inclusion proof document from ``GET /api/audit/proofs/inclusion``."""
    size, root = _head(keys, document.get("tree_head"), "tree head")
    event = document.get("event")
    leaf = _leaf(event, "event")
    index = document.get("leaf_index")
    if not isinstance(index, int) or index != event.get("seq", 0) - 1:
        raise OfflineError("leaf_index is not the event's seq - 1")
    if document.get("tree_size") != size:
        raise OfflineError("tree_size differs from the signed tree head")
    try:
        merkle_inclusion(index, size, leaf, _path(document.get("inclusion_path"), "path"), root)
    except ProofError as exc:
        raise OfflineError(f"inclusion proof: {exc}") from exc
    return f"event seq {event['seq']} is in the signed log of {size} events"


def check_consistency(document: dict[str, Any], keys: KeySource) -> str:
    """A consistency proof document from ``GET /api/audit/proofs/consistency``."""
    first, first_root = _head(keys, document.get("first_tree_head"), "first tree head")
    second, second_root = _head(keys, document.get("second_tree_head"), "second tree head")
    if (document.get("first"), document.get("second")) != (first, second):
        raise OfflineError("first/second differ from the signed tree heads")
    path = _path(document.get("consistency_path"), "path")
    try:
        verify_consistency(first, second, path, first_root, second_root)
    except ProofError as exc:
        raise OfflineError(f"consistency proof: {exc}") from exc
    return f"the signed log of {second} events extends the one of {first} unchanged"


def check_log(document: dict[str, Any], keys: KeySource) -> str:
    """An exported log: every hash, link and seq, and every signed root recomputed."""
    heads: dict[int, bytes] = {}
    for index, head in enumerate(document.get("tree_heads") or []):
        size, root = _head(keys, head, f"tree head {index + 1}")
        heads[size] = root
    events = document.get("events")
    if not isinstance(events, list):
        raise OfflineError("no events list")
    frontier, prev = Frontier(), GENESIS_HASH
    for expected, event in enumerate(events, start=1):
        where = f"event {expected}"
        if not isinstance(event, dict) or event.get("seq") != expected:
            raise OfflineError(f"{where}: expected seq {expected}: events are missing or reordered")
        if event.get("prev_hash") != prev:
            raise OfflineError(f"{where}: prev_hash does not link to event {expected - 1}")
        frontier.append(_leaf(event, where))
        prev = event["hash"]
        if expected in heads and frontier.root() != heads[expected]:
            raise OfflineError(f"tree head {expected}: the signed root differs from the events")
    beyond = [size for size in heads if size > frontier.size]
    if beyond:
        raise OfflineError(
            f"tree head {min(beyond)}: signed, but the log ends at {frontier.size}: "
            "events were cut off"
        )
    return f"{frontier.size} events and {len(heads)} signed tree heads verified"


def verify_document(document: Any, keys: KeySource) -> str:
    """Check a file by its ``type``; returns a one-line summary or raises OfflineError."""
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise OfflineError(f"not a version {VERSION} Datavagt audit export or proof")
    checks = {LOG_TYPE: check_log, INCLUSION_TYPE: check_inclusion}
    checks[CONSISTENCY_TYPE] = check_consistency
    check = checks.get(document.get("type"))  # type: ignore[arg-type]
    if check is None:
        raise OfflineError("unknown file type")
    return check(document, keys)


def log_document(events: Iterable[Any], heads: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The export ``check_log`` verifies: events as hashed, signed tree heads."""
    return {
        "type": LOG_TYPE,
        "version": VERSION,
        "events": [event_content(event) for event in events],
        "tree_heads": list(heads),
    }
