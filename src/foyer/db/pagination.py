"""Opaque cursors for keyset pagination, and the page they come with."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from foyer.errors import Invalid

T = TypeVar("T")

MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    """One page of a list; ``next_cursor`` fetches the next, ``None`` on the last."""

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(position: dict[str, Any]) -> str:
    """A URL-safe token for the position after the last item of a page."""
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *keys: str) -> dict[str, Any]:
    """The position in ``cursor``; :class:`Invalid` for anything else than a cursor we made."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError) as err:
        raise Invalid([("cursor", "is not a cursor this API returned; start without one")]) from err
    if not isinstance(position, dict) or set(position) != set(keys):
        raise Invalid([("cursor", "is not a cursor this API returned; start without one")])
    return position


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid([("limit", f"must be between 1 and {MAX_LIMIT}")])
    return limit
