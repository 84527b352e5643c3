"""Schedules an entry declares: what loads and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from foyer.catalog import Catalog, Schedule
from foyer.catalog.schedules import cron_problem

from .builders import WriteCatalog, entry
from .test_catalog_errors import only

SCHEDULE: dict[str, Any] = {
    "name": "nightly",
    "cron": "0 3 * * *",
    "requester": "scheduler@example.com",
    "environment": "stage",
    "inputs": {"aws_account": "sandbox", "table": "orders"},
}


def test_schedules_load_with_their_defaults(write_catalog: WriteCatalog) -> None:
    every = {**SCHEDULE, "name": "often", "every": "5m", "cron": None}
    del every["cron"]
    root = write_catalog({"team/entry.yaml": entry(schedules=[SCHEDULE, every])})

    nightly, often = Catalog.load(root).get("delete-table").schedules
    assert nightly == Schedule(
        name="nightly",
        cron="0 3 * * *",
        timezone="UTC",
        environment="stage",
        inputs={"aws_account": "sandbox", "table": "orders"},
        requester="scheduler@example.com",
    )
    assert (often.cron, often.every_seconds) == (None, 300)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"every": "5m"}, "/schedules/0/cron: set exactly one of `cron` and `every`"),
        ({"cron": "0 3 * *"}, "/schedules/0/cron: `0 3 * *` must have 5 fields"),
        ({"cron": "61 * * * *"}, "/schedules/0/cron: minute `61`: `61` is out of range 0-59"),
        ({"every": "30s", "cron": None}, "/schedules/0/every: must be at least 60s"),
        ({"timezone": "Mars/Olympus"}, "/schedules/0/timezone: `Mars/Olympus` is not an IANA"),
        ({"environment": "qa"}, "/schedules/0/environment: `qa` is not one of the environments"),
        ({"inputs": {"table": "x"}}, "/schedules/0/inputs/aws_account: is required"),
        ({"requester": None}, "/schedules/0/requester: is required"),
        ({"name": "Nightly"}, "/schedules/0/name: must match pattern"),
    ],
)
def test_schedule_rules(
    write_catalog: WriteCatalog, changes: dict[str, Any], expected: str
) -> None:
    schedule = {**SCHEDULE, **changes}
    for key in [key for key, value in changes.items() if value is None]:
        del schedule[key]
    errors = only(write_catalog, entry(schedules=[schedule]))
    assert any(error.startswith(f"team/entry.yaml:{expected}") for error in errors), errors


def test_schedule_names_are_unique_in_an_entry(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(schedules=[SCHEDULE, SCHEDULE])) == [
        "team/entry.yaml:/schedules/1/name: `nightly` is already the name of another "
        "schedule of this entry"
    ]


@pytest.mark.parametrize(
    "expression",
    ["*/5 * * * *", "0 6 * * 1", "30 2 1,15 * *", "0 9-17/2 * * mon-fri", "0 0 1 jan *", "@daily"],
)
def test_cron_expressions_accepted(expression: str) -> None:
    assert cron_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("@sometimes", "unknown macro `@sometimes`"),
        ("* * * *", "must have 5 fields"),
        ("*/0 * * * *", "minute `*/0`: a step must be greater than zero"),
        ("0 24 * * *", "hour `24`: `24` is out of range 0-23"),
        ("0 0 0 * *", "day of month `0`: `0` is out of range 1-31"),
        ("0 0 * 13 *", "month `13`: `13` is out of range 1-12"),
        ("0 0 * * funday", "day of week `funday`: `funday` is not a number or one of sun"),
        ("0 5-2 * * *", "hour `5-2`: range `5-2` ends before it starts"),
        ("0 ? * * *", "hour `?`: cannot read `?`"),
    ],
)
def test_cron_expressions_refused(expression: str, problem: str) -> None:
    found = cron_problem(expression)
    assert found is not None and problem in found, found
