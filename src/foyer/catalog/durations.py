"""Duration strings such as ``90m``, ``24h`` or ``1h30m``."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UNIT_SECONDS = (86400, 3600, 60, 1)


def parse_duration(text: str) -> int:
    """Parse a duration string into whole seconds.

    Args:
        text: One or more ``<number><unit>`` parts in the order d, h, m, s,
            e.g. ``30s``, ``90m``, ``24h``, ``7d`` or ``1h30m``.

    Returns:
        The duration in seconds, always greater than zero.

    Raises:
        ValueError: If ``text`` is not such a string or is zero.
    """
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None or not any(match.groups()):
        raise ValueError(
            f"invalid duration `{text}`: use a number followed by s, m, h or d, e.g. 90m, 24h, 7d"
        )
    parts = zip(match.groups(), _UNIT_SECONDS, strict=True)
    seconds = sum(int(part or 0) * unit for part, unit in parts)
    if seconds <= 0:
        raise ValueError(f"invalid duration `{text}`: must be greater than zero")
    return seconds
