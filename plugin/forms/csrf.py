"""Signed double-submit CSRF tokens (itsdangerous): a cookie and a form field that must agree."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

COOKIE = "dv_form_csrf"
FIELD = "csrf_token"
MAX_AGE = 2 * 60 * 60  # a form left open over lunch still submits


class CsrfError(Exception):
    """The request's CSRF proof is missing, forged, expired or for another form."""


def _serializer(salt: str) -> URLSafeTimedSerializer:
    # A key of its own, derived from the index key, so CSRF tokens never share a key with
    # blind indexes (a token can't help anyone compute an identifier's index).
    index_key = current_app.extensions["datavagt.keyring"].index_key
    key = hmac.new(index_key, b"datavagt forms csrf v1", hashlib.sha256).hexdigest()
    return URLSafeTimedSerializer(key, salt=salt)


def issue(form: str) -> tuple[str, str]:
    """A fresh (cookie value, form field value) pair for ``form``."""
    nonce = secrets.token_urlsafe(16)
    cookie = _serializer("cookie").dumps({"n": nonce})
    token = _serializer("field").dumps({"n": nonce, "f": form})
    return cookie, token


def check(form: str, cookie: str | None, token: str | None) -> None:
    """Raise CsrfError unless cookie and field are ours, fresh, equal and for ``form``."""
    if not cookie or not token:
        raise CsrfError("missing")
    try:
        from_cookie = _serializer("cookie").loads(cookie, max_age=MAX_AGE)
        from_field = _serializer("field").loads(token, max_age=MAX_AGE)
    except SignatureExpired as exc:
        raise CsrfError("expired") from exc
    except BadSignature as exc:
        raise CsrfError("invalid") from exc
    if not isinstance(from_cookie, dict) or not isinstance(from_field, dict):
        raise CsrfError("invalid")
    if not hmac.compare_digest(str(from_cookie.get("n")), str(from_field.get("n"))):
        raise CsrfError("mismatch")
    if from_field.get("f") != form:
        raise CsrfError("other form")
