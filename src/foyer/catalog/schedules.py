"""Schedules an entry declares: runs started by Foyer itself, as a service identity.

Each becomes a Temporal Schedule in the gateway namespace. Only the timing
lives in Temporal; what a scheduled run asks for (environment, inputs,
requester) is read from the catalog when it fires, so nothing written into the
gateway namespace can change it.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foyer.catalog._documents import pointer
from foyer.catalog.durations import parse_duration
from foyer.catalog.errors import CatalogError

MIN_INTERVAL_SECONDS = 60

_MACROS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_FIELDS: tuple[tuple[str, int, int, list[str]], ...] = (  # name, lowest, highest, names
    ("minute", 0, 59, []),
    ("hour", 0, 23, []),
    ("day of month", 1, 31, []),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_PART = re.compile(r"^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:/(\d+))?$")


@dataclass(frozen=True)
class Schedule:
    """One schedule of an entry.

    Attributes:
        name: Unique within the entry; the schedule's id is ``<entry>.<name>``.
        cron: Standard five-field cron expression (or ``@daily`` and the like);
            exactly one of ``cron`` and ``every_seconds`` is set.
        every_seconds: Fixed interval between runs.
        timezone: IANA time zone the cron expression is read in.
        environment: Environment of each run; ``None`` for the entry's default.
        inputs: Inputs of each run, validated like an example.
        requester: Subject of the service identity the runs are requested as;
            it must exist in the gateway's identity directory.
        paused: Whether the schedule starts out paused.
    """

    name: str
    title: str = ""
    description: str = ""
    cron: str | None = None
    every_seconds: int | None = None
    timezone: str = "UTC"
    environment: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    requester: str = ""
    paused: bool = False


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a cron expression Foyer accepts, or ``None``."""
    text = expression.strip().lower()
    if text.startswith("@"):
        return (
            None
            if text in _MACROS
            else f"unknown macro `{expression}`; use one of " + (", ".join(sorted(_MACROS)))
        )
    parts = text.split()
    if len(parts) != len(_FIELDS):
        return (
            f"`{expression}` must have 5 fields (minute hour day-of-month month day-of-week), "
            f"found {len(parts)}"
        )
    for part, (name, low, high, names) in zip(parts, _FIELDS, strict=True):
        for item in part.split(","):
            problem = _item_problem(item, low, high, names)
            if problem is not None:
                return f"{name} `{part}`: {problem}"
    return None


def _item_problem(item: str, low: int, high: int, names: list[str]) -> str | None:
    match = _PART.match(item)
    if match is None:
        return f"cannot read `{item}`; use *, a number, a range a-b, a list a,b or a step */n"
    star, first, last, step = match.groups()
    if step is not None and int(step) == 0:
        return "a step must be greater than zero"
    if star:
        return None
    bounds = [_value(first, low, names), _value(last, low, names) if last else None]
    for value, text in zip(bounds, (first, last), strict=True):
        if text is None:
            continue
        if value is None:
            return f"`{text}` is not a number" + (f" or one of {', '.join(names)}" if names else "")
        if not low <= value <= high:
            return f"`{text}` is out of range {low}-{high}"
    if bounds[1] is not None and bounds[0] is not None and bounds[1] < bounds[0]:
        return f"range `{item}` ends before it starts"
    return None


def _value(text: str, low: int, names: list[str]) -> int | None:
    if text.isdigit():
        return int(text)
    if text in names:
        return names.index(text) + low
    return None


def build_schedules(
    raw: list[dict[str, Any]], path: Path, environments: list[str]
) -> tuple[list[Schedule], list[CatalogError]]:
    """Build an entry's schedules from documents that passed the meta-schema.

    Inputs are checked by the caller, which knows the entry's schema.
    """
    schedules: list[Schedule] = []
    errors: list[CatalogError] = []
    names: set[str] = set()
    for index, document in enumerate(raw):

        def fail(key: str, message: str, index: int = index) -> None:
            errors.append(CatalogError(path, pointer(("schedules", index, key)), message))

        name = document["name"]
        if name in names:
            fail("name", f"`{name}` is already the name of another schedule of this entry")
        names.add(name)
        cron, every = document.get("cron"), document.get("every")
        every_seconds = None
        if (cron is None) == (every is None):
            fail("cron", "set exactly one of `cron` and `every`")
        if cron is not None:
            problem = cron_problem(cron)
            if problem is not None:
                fail("cron", problem)
        if every is not None:
            try:
                every_seconds = parse_duration(every)
            except ValueError as err:
                fail("every", str(err))
            else:
                if every_seconds < MIN_INTERVAL_SECONDS:
                    fail("every", f"must be at least {MIN_INTERVAL_SECONDS}s")
        timezone = document.get("timezone", "UTC")
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            fail("timezone", f"`{timezone}` is not an IANA time zone, e.g. UTC or Europe/Paris")
        environment = document.get("environment")
        if environment is not None and environment not in environments:
            allowed = ", ".join(sorted(environments))
            fail("environment", f"`{environment}` is not one of the environments: {allowed}")
        schedules.append(
            Schedule(
                name=name,
                title=document.get("title", ""),
                description=document.get("description", ""),
                cron=cron,
                every_seconds=every_seconds,
                timezone=timezone,
                environment=environment,
                inputs=document.get("inputs", {}),
                requester=document["requester"],
                paused=document.get("paused", False),
            )
        )
    return schedules, errors
