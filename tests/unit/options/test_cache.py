"""The gateway's copies of inventories: when it reads, what it serves, how it checks inputs."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from foyer.catalog import Catalog, Entry, OptionField, OptionSource, SourceTarget
from foyer.contracts.options import InventoryChunk, InventoryInfo, OptionItem, PageRequest
from foyer.errors import Unavailable
from foyer.options import OptionsCache
from foyer.options.cache import PAGE_SIZE

SOURCE = OptionSource(
    name="tables",
    title="Tables",
    description="",
    owners=[],
    namespace="cloud-ops",
    task_queue="tables",
    workflow_id="options-tables",
    refresh_seconds=60,
    params=[],
    environments={},
    source=Path("tables.yaml"),
)
REFRESHED = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Inventory:
    """A fake inventory workflow answering the two read Queries."""

    def __init__(self, names: list[str]) -> None:
        self.version = 1
        self.items = [OptionItem(value=name) for name in names]
        self.ready = True
        self.calls: list[str] = []
        self.fail = False
        self.change_on_page: int | None = None
        self.slowness = 0.0
        """Seconds each read Query takes, blocking (a slow team worker)."""

    def set(self, names: list[str]) -> None:
        self.version += 1
        self.items = [OptionItem(value=name) for name in names]

    async def info(self, target: SourceTarget) -> InventoryInfo:
        self.calls.append("info")
        time.sleep(self.slowness)
        if self.fail:
            raise Unavailable("the inventory did not answer")
        return InventoryInfo(
            source="tables",
            ready=self.ready,
            version=self.version,
            total=len(self.items),
            refreshed_at=REFRESHED,
            refresh_seconds=60,
        )

    async def page(self, target: SourceTarget, request: PageRequest) -> InventoryChunk:
        self.calls.append(f"page {request.offset}")
        if self.change_on_page == request.offset:
            self.change_on_page = None
            self.set([item.value for item in self.items] + ["late"])
        if request.version != self.version:
            return InventoryChunk(version=self.version, total=len(self.items))
        chunk = self.items[request.offset : request.offset + request.limit]
        return InventoryChunk(version=self.version, total=len(self.items), items=chunk)


def cache(inventory: Inventory, clock: Clock) -> OptionsCache:
    catalog = Catalog(root=Path("."), entries=[], sources=[SOURCE])
    return OptionsCache(catalog, inventory, cache_seconds=10, clock=clock)


async def test_first_read_fetches_every_page_then_serves_the_copy() -> None:
    inventory = Inventory([f"t{i:05d}" for i in range(2 * PAGE_SIZE + 1)])
    options = cache(inventory, Clock())

    snapshot = await options.snapshot(SOURCE)
    again = await options.snapshot(SOURCE)

    assert again is snapshot
    assert snapshot.size == 2 * PAGE_SIZE + 1
    assert inventory.calls == ["info", "page 0", f"page {PAGE_SIZE}", f"page {2 * PAGE_SIZE}"]
    assert snapshot.stale_after(10) == datetime(2026, 1, 1, 0, 1, 10, tzinfo=UTC)


async def test_an_old_copy_is_served_at_once_and_refreshed_behind() -> None:
    inventory, clock = Inventory(["a"]), Clock()
    options = cache(inventory, clock)
    first = await options.snapshot(SOURCE)
    inventory.set(["a", "b"])
    clock.now += 11

    served = await options.snapshot(SOURCE)
    assert served is first
    await asyncio.sleep(0.01)  # the background read
    assert (await options.snapshot(SOURCE)).size == 2


async def test_an_unchanged_version_is_not_fetched_again() -> None:
    inventory, clock = Inventory(["a"]), Clock()
    options = cache(inventory, clock)
    await options.snapshot(SOURCE)
    clock.now += 11
    await options.snapshot(SOURCE)
    await asyncio.sleep(0.01)

    assert inventory.calls == ["info", "page 0", "info"]


async def test_a_version_change_while_reading_starts_over() -> None:
    inventory = Inventory([f"t{i}" for i in range(PAGE_SIZE + 1)])
    inventory.change_on_page = PAGE_SIZE
    snapshot = await cache(inventory, Clock()).snapshot(SOURCE)

    assert snapshot.size == PAGE_SIZE + 2
    assert snapshot.version == 2


async def test_no_copy_and_no_answer_is_unavailable() -> None:
    inventory = Inventory(["a"])
    inventory.ready = False
    with pytest.raises(Unavailable, match="still reading its first list"):
        await cache(inventory, Clock()).snapshot(SOURCE)
    inventory.fail = True
    with pytest.raises(Unavailable, match="did not answer"):
        await cache(inventory, Clock()).snapshot(SOURCE)


def entry_with_options() -> Entry:
    from dataclasses import replace

    from tests.unit.options.entries import plain_entry

    return replace(
        plain_entry(), options={"table": OptionField("table", "tables", {"account": "account"})}
    )


async def test_check_inputs_asks_the_inventory_again_on_a_miss() -> None:
    inventory, clock = Inventory(["orders"]), Clock()
    options = cache(inventory, clock)
    entry = entry_with_options()
    assert await options.check_inputs(entry, None, {"table": "orders"}) == []

    inventory.set(["orders", "fresh"])
    assert await options.check_inputs(entry, None, {"table": "fresh"}) == []
    assert inventory.calls.count("info") == 2

    assert await options.check_inputs(entry, None, {"table": "nope", "account": "a1"}) == [
        ("table", "`nope` is not one of the current options of `tables` for account a1")
    ]


async def test_an_unreadable_inventory_is_not_a_refusal() -> None:
    inventory = Inventory(["orders"])
    inventory.fail = True
    problems = await cache(inventory, Clock()).check_inputs(
        entry_with_options(), None, {"table": "anything"}
    )
    assert problems == []


async def test_a_search_that_finds_nothing_reads_again_at_most_once_a_second() -> None:
    inventory, clock = Inventory(["orders"]), Clock()
    options = cache(inventory, clock)
    await options.snapshot(SOURCE)
    inventory.set(["orders", "orders-new"])
    clock.now += 2  # younger than cache_seconds: served without reading

    found = (await options.search(SOURCE, None, "orders-new", 5, {})).result
    assert [hit.option.value for hit in found.hits] == ["orders-new"]
    assert inventory.calls.count("info") == 2

    # Typing on: misses within a second use that read; matches never read again.
    await options.search(SOURCE, None, "orders-newer", 5, {})
    await options.search(SOURCE, None, "orders", 5, {})
    assert inventory.calls.count("info") == 2
    clock.now += 1.5
    await options.search(SOURCE, None, "orders-newest", 5, {})
    assert inventory.calls.count("info") == 3


async def test_a_search_that_finds_nothing_keeps_the_copy_when_the_inventory_is_down() -> None:
    inventory, clock = Inventory(["orders"]), Clock()
    options = cache(inventory, clock)
    await options.snapshot(SOURCE)
    inventory.fail = True
    clock.now += 2

    answer = await options.search(SOURCE, None, "missing", 5, {})
    assert (answer.snapshot.size, answer.result.matched) == (1, 0)


async def test_the_reported_search_time_leaves_out_waiting_for_reads() -> None:
    inventory, clock = Inventory(["orders"]), Clock()
    inventory.slowness = 0.2
    options = cache(inventory, clock)

    first = await options.search(SOURCE, None, "orders", 5, {})  # the first read
    clock.now += 2
    missed = await options.search(SOURCE, None, "missing", 5, {})  # read again

    assert inventory.calls.count("info") == 2
    assert first.searched_ms < 100 and missed.searched_ms < 100
