"""Signed exports: a detached-payload JWS (RFC 7515 App. F) over the canonical JSON.

The file is ``{"type": "datavagt.access_export", "export": {...}, "jws": "<header>..<sig>"}``;
anyone can verify it with the JWKS: put ``BASE64URL(canonical(export))`` between the dots.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from plugin.keys import Keyring
from plugin.signing.jws import (
    KeySource,
    SignatureError,
    sign_detached,
    sign_payload,
    verify_compact,
    verify_detached,
)

FILE_TYPE = "datavagt.access_export"
TYP = "datavagt-access-export+json"
PAGE_TYPE = "datavagt.access_export_page"
PAGE_TYP = "datavagt-access-export-page+jws"
# The readable page carries its own signature in this tag; the signature covers the SHA-256
# of the page's UTF-8 bytes with the tag's content empty (so the page verifies as saved).
PAGE_TAG = '<meta name="datavagt-signature" content="{}">'
_PAGE_TAG = re.compile(r'<meta name="datavagt-signature" content="([A-Za-z0-9_.=-]*)">')
MARKER = 'name="datavagt-signature"'


def sign_document(keyring: Keyring, document: dict[str, Any]) -> dict[str, Any]:
    """The signed envelope of ``document`` (active key; payload detached from the token)."""
    return {"type": FILE_TYPE, "export": document, "jws": sign_detached(keyring, document, TYP)}


def verify_document(envelope: dict[str, Any], keys: KeySource) -> dict[str, Any]:
    """The export of a valid envelope (checked with a Keyring or JWKS), else SignatureError."""
    try:
        document, token = envelope["export"], envelope["jws"]
    except (KeyError, TypeError) as exc:
        raise SignatureError("not a signed Datavagt access export") from exc
    return verify_detached(keys, document, token, TYP, "access export")


def verify_file(envelope: dict[str, Any], keys: KeySource) -> str:
    """`datavagt verify` hook: a one-line summary of a valid export."""
    document = verify_document(envelope, keys)
    return (
        f"access export of subject {document.get('subject_id')} generated "
        f"{document.get('generated_at')}: signature valid"
    )


def sign_page(keyring: Keyring, html: str, document: dict[str, Any], lang: str) -> str:
    """``html`` (holding ``PAGE_TAG`` with empty content once) with its signature filled in."""
    empty = PAGE_TAG.format("")
    if html.count(empty) != 1:
        raise ValueError("the page needs exactly one empty signature tag")
    claims = {
        "type": PAGE_TYPE,
        "subject_id": document.get("subject_id"),
        "generated_at": document.get("generated_at"),
        "lang": lang,
        "sha256": hashlib.sha256(html.encode("utf-8")).hexdigest(),
    }
    return html.replace(empty, PAGE_TAG.format(sign_payload(keyring, claims, PAGE_TYP)))


def verify_page(html: str, keys: KeySource) -> dict[str, Any]:
    """The signed claims of a readable export page that is unchanged, else SignatureError."""
    found = _PAGE_TAG.findall(html)
    if len(found) != 1 or not found[0]:
        raise SignatureError("not a signed Datavagt access export page")
    claims = verify_compact(keys, found[0], PAGE_TYP)
    unsigned = _PAGE_TAG.sub(PAGE_TAG.format(""), html)
    if claims.get("sha256") != hashlib.sha256(unsigned.encode("utf-8")).hexdigest():
        raise SignatureError("the page was changed after it was signed")
    return claims


def verify_page_text(html: str, keys: KeySource) -> str:
    """`datavagt verify page.html` hook: a one-line summary of a valid page."""
    claims = verify_page(html, keys)
    return (
        f"access export page ({claims.get('lang')}) of subject {claims.get('subject_id')} "
        f"generated {claims.get('generated_at')}: signature valid"
    )
