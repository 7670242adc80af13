"""The one JSON loader for untrusted input: size, depth and number bounds, never a 500.

Python's ``json`` module nests by recursion (5,000 levels raise RecursionError), accepts
``NaN``/``Infinity`` and integers of thousands of digits, and stores ``1e400`` as infinity.
Every webhook body and API body goes through ``loads`` instead, which turns each of those
into ``JsonInputError`` (a ValueError) that callers answer with a 4xx.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32  # our documents nest a handful of levels; vendors' under ten
MAX_BYTES = 4 * 1024 * 1024
MAX_INT = 2**63 - 1  # what a BIGINT column holds; larger ids or timestamps are not ours


class JsonInputError(ValueError):
    """Input that is not JSON we accept; the message names the rule, never the content."""


def _constant(name: str) -> Any:
    raise JsonInputError(f"{name} is not JSON")


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> Any:
    """Parse ``data``; JsonInputError when it is not JSON or breaks a bound."""
    if len(data) > max_bytes:
        raise JsonInputError(f"JSON bodies are limited to {max_bytes} bytes")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JsonInputError("body is not UTF-8") from exc
    if "\x00" in data:
        raise JsonInputError("NUL characters are not accepted")
    try:
        value = json.loads(data, parse_constant=_constant)
    except JsonInputError:
        raise
    except RecursionError as exc:
        raise JsonInputError(f"JSON nests deeper than {max_depth} levels") from exc
    except ValueError as exc:
        raise JsonInputError("body is not JSON") from exc
    if isinstance(value, dict | list):
        check_depth(value, max_depth)
    else:
        check_depth([value], max_depth)
    return value


def check_depth(value: Any, max_depth: int = MAX_DEPTH) -> None:
    """Walk without recursion: JsonInputError past ``max_depth`` levels, on a NUL in a
    string (``"\\u0000"``: PostgreSQL text cannot hold it), an integer beyond 64 bits or a
    float that overflowed to infinity (``1e999``)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > max_depth:
            raise JsonInputError(f"JSON nests deeper than {max_depth} levels")
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if type(key) is str and "\x00" in key:
                raise JsonInputError("NUL characters are not accepted")
            kind = type(child)
            if kind is str:
                if "\x00" in child:
                    raise JsonInputError("NUL characters are not accepted")
            elif kind is int:
                if not -MAX_INT <= child <= MAX_INT:
                    raise JsonInputError("a number is out of range")
            elif kind is float:
                if not math.isfinite(child):
                    raise JsonInputError("a number is out of range")
            elif kind is dict or kind is list:
                push((child, depth + 1))
