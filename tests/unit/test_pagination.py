from __future__ import annotations

import pytest

from foyer.db.pagination import check_limit, decode_cursor, encode_cursor
from foyer.errors import Invalid


def test_cursors_round_trip() -> None:
    position = {"t": "2026-11-21T09:00:00+00:00", "id": "run-1"}

    assert decode_cursor(encode_cursor(position), "t", "id") == position


@pytest.mark.parametrize("cursor", ["", "%%%", encode_cursor({"seq": 1}), "bnVsbA"])
def test_anything_else_is_refused_by_field(cursor: str) -> None:
    with pytest.raises(Invalid) as raised:
        decode_cursor(cursor, "t", "id")
    assert raised.value.field == "cursor"


@pytest.mark.parametrize("limit", [0, 201])
def test_limits_are_bounded(limit: int) -> None:
    with pytest.raises(Invalid, match="limit: must be between 1 and 200"):
        check_limit(limit)
