"""The reconciler reads a live run again only when the ledger's state of it is due."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from foyer.db import Actor, LedgerRun, Observation, Stores
from foyer.runs.reconciler import QUIET_CAP, Reconciler
from tests.databases import Databases
from tests.db.test_ledger import new_run

ADA = Actor("ada@example.com", "cli", "10.0.0.7")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def recorded(changed_ago: float) -> LedgerRun:
    changed = NOW - timedelta(seconds=changed_ago)
    return LedgerRun(
        **new_run(1, created_at=changed - timedelta(seconds=1)).model_dump(),
        status="running",
        updated_at=changed,
    )


@dataclass
class Records:
    stores: Stores


@dataclass
class CountingService:
    """The run service as the reconciler uses it: its stores, and refresh, counted."""

    records: Records
    refreshed: list[str] = field(default_factory=list)

    async def refresh(self, run: LedgerRun) -> None:
        self.refreshed.append(run.id)


class Clock:
    """The reconciler's wall clock, moved on by hand; the ledger's own writes use the real one."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def reconciler(
    interval: float = 1.0, service: Any = None, clock: Clock | None = None
) -> Reconciler:
    return Reconciler(service, interval, clock or Clock())


@pytest.mark.parametrize(
    ("changed_ago", "read_ago", "due"),
    [
        (0.4, None, False),  # the gateway wrote it a moment ago: known
        (1.0, None, True),  # written a second ago and never read
        (5.0, 0.5, False),  # changing: read every second
        (5.0, 1.0, True),
        (50.0, 4.0, False),  # quiet for 50 s: read every 5 s
        (50.0, 5.0, True),
        (3600.0, 9.0, False),  # quiet for an hour: every QUIET_CAP seconds, not every 360
        (3600.0, QUIET_CAP, True),
    ],
)
def test_a_run_is_due_after_its_period(
    changed_ago: float, read_ago: float | None, due: bool
) -> None:
    run = recorded(changed_ago)
    watcher = reconciler()
    if read_ago is not None:
        watcher._read_at[run.id] = NOW - timedelta(seconds=read_ago)

    assert watcher.due(run, NOW) is due


def test_the_period_scales_with_the_interval() -> None:
    watcher = reconciler(interval=0.2)
    assert watcher.due(recorded(0.25), NOW)
    assert not watcher.due(recorded(0.15), NOW)


@pytest.fixture
def stores(databases: Databases) -> Iterator[Stores]:
    opened = Stores.open(databases.fresh("sqlite"))
    yield opened
    opened.close()


def add(stores: Stores, number: int) -> str:
    """Record run ``number`` now; return its id."""
    run, _ = stores.ledger.add(new_run(number, created_at=datetime.now(UTC)), ADA)
    return run.id


async def test_a_tick_reads_only_the_runs_due_and_forgets_final_ones(stores: Stores) -> None:
    service = CountingService(Records(stores))
    clock = Clock()
    watcher = reconciler(service=service, clock=clock)
    old, done = add(stores, 1), add(stores, 2)
    clock.advance(1.5)

    first = await watcher.tick()
    clock.advance(0.5)
    second = await watcher.tick()  # both were read half a second ago
    stores.ledger.observe(done, Observation(status="succeeded", closed_at=datetime.now(UTC)))
    clock.advance(0.6)
    third = await watcher.tick()

    assert (first, second, third) == (2, 0, 1)
    assert sorted(service.refreshed) == sorted([done, old, old])
    assert set(watcher._read_at) == {old}


async def test_no_run_is_read_without_the_lease(stores: Stores) -> None:
    service = CountingService(Records(stores))
    clock = Clock()
    holder = reconciler(service=service, clock=clock)
    other = reconciler(service=service, clock=clock)
    run = add(stores, 1)
    clock.advance(2)

    assert await holder.tick() == 1
    assert await other.tick() == 0
    assert service.refreshed == [run]
