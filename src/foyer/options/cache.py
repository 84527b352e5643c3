"""The gateway's copy of each inventory: read with Queries, cached, searched.

A snapshot younger than ``cache_seconds`` is served as is. An older one is
still served while a refresh runs in the background (one at a time per
inventory), so a keystroke never waits for the team's worker; only the very
first request for an inventory does, and a search that matches nothing, which
is answered from a read at most ``RECHECK_SECONDS`` old (a resource created a
moment ago is found as soon as the team's inventory has read it). A refresh
asks the inventory for its version first and fetches the items, page by page,
only when it changed.

Staleness bound: an answer reflects the world as the team read it at
``refreshed_at``; the team reads again every ``refresh`` and the gateway asks
at most ``cache_seconds`` later, so while everything works an answer is at
most ``refresh + cache_seconds`` (plus the time to read and index) old.
``stale_after`` in each answer is that bound; past it the team's refresh is
failing or late.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from foyer.catalog import Catalog, Entry, OptionField, OptionSource, SourceTarget
from foyer.contracts.options import InventoryChunk, InventoryInfo, OptionItem, PageRequest
from foyer.errors import Unavailable
from foyer.options.check import check_inputs
from foyer.options.search import Result
from foyer.options.snapshot import Snapshot

log = logging.getLogger("foyer.options")

PAGE_SIZE = 2000
"""Options per page Query: a page stays well under Temporal's payload limits."""
THREAD_ABOVE = 2000
"""Indexes of more options than this are built in a thread, off the event loop."""
MAX_RESTARTS = 3
RECHECK_SECONDS = 1.0
"""A search that matches nothing reads the inventory again, at most this often."""


@dataclass(frozen=True)
class Answer:
    """A search's result, the copy it searched, and the time spent in the index alone."""

    snapshot: Snapshot
    result: Result
    searched_ms: float
    """Milliseconds searching, without any wait for the inventory to be read."""


def _searched(snapshot: Snapshot, query: str, limit: int, params: Mapping[str, str]) -> Answer:
    started = time.perf_counter()
    result = snapshot.search(query, limit, params)
    return Answer(snapshot, result, 1000 * (time.perf_counter() - started))


class InventoryReader(Protocol):
    """Reads an inventory; the gateway's implementation sends read-only Temporal Queries."""

    async def info(self, target: SourceTarget) -> InventoryInfo: ...

    async def page(self, target: SourceTarget, request: PageRequest) -> InventoryChunk: ...


@dataclass
class _Slot:
    snapshot: Snapshot | None = None
    checked: float = float("-inf")
    """When the last successful read started."""
    refreshing: asyncio.Task[Snapshot] | None = None
    started: float = float("-inf")
    """When the read in ``refreshing`` started."""


class OptionsCache:
    """Snapshots of every inventory the gateway was asked about, by namespace and workflow id."""

    def __init__(
        self,
        catalog: Catalog,
        reader: InventoryReader,
        cache_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._catalog = catalog
        self._reader = reader
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._slots: dict[tuple[str, str], _Slot] = {}

    async def snapshot(
        self, source: OptionSource, environment: str | None = None, since: float | None = None
    ) -> Snapshot:
        """The latest snapshot of ``source`` in ``environment``.

        Args:
            since: Wait for a read of the inventory that started after this
                time of the cache's clock. By default a copy older than
                ``cache_seconds`` is served while it refreshes in the background.

        Raises:
            Unavailable: There is no copy yet, or ``since`` was given, and the
                inventory cannot be read.
        """
        target = source.target(environment)
        slot = self._slots.setdefault((target.namespace, target.workflow_id), _Slot())
        if since is None and slot.snapshot is not None:
            if self._clock() - slot.checked > self.cache_seconds:
                self._refresh(slot, source, target)
            return slot.snapshot
        if since is not None and slot.checked > since and slot.snapshot is not None:
            return slot.snapshot
        reading = slot.refreshing
        if reading is not None and not reading.done() and (since is None or slot.started > since):
            return await asyncio.shield(reading)
        if reading is not None and not reading.done():
            # Began before ``since``: let it finish, then read again.
            await asyncio.wait([reading])
        return await asyncio.shield(self._refresh(slot, source, target))

    async def search(
        self,
        source: OptionSource,
        environment: str | None,
        query: str,
        limit: int,
        params: Mapping[str, str],
    ) -> Answer:
        """Search the copy; when nothing matches a query, search a read of the inventory at
        most ``RECHECK_SECONDS`` old instead, so a resource the team's inventory has just
        read is found while one types its name (at most one read a second per source)."""
        first = _searched(await self.snapshot(source, environment), query, limit, params)
        if first.result.matched or not query.strip():
            return first
        try:
            snapshot = await self.snapshot(
                source, environment, since=self._clock() - RECHECK_SECONDS
            )
        except Unavailable as err:
            log.warning("not reading `%s` again: %s", source.name, err)
            return first
        again = _searched(snapshot, query, limit, params)
        return dataclasses.replace(again, searched_ms=first.searched_ms + again.searched_ms)

    async def check_inputs(
        self, entry: Entry, environment: str | None, inputs: Mapping[str, Any]
    ) -> list[tuple[str, str]]:
        """:func:`foyer.options.check_inputs` against the cached inventories.

        An inventory the gateway cannot read is not a refusal: the team's
        handler checks again before anything starts.
        """

        async def contains(option: OptionField, value: str, params: dict[str, str]) -> bool | None:
            source = self._catalog.source(option.source)
            try:
                missed = self._clock()
                if (await self.snapshot(source, environment)).contains(value, params):
                    return True
                # The value may be younger than our copy: ask the inventory once more.
                fresh = await self.snapshot(source, environment, since=missed)
            except Unavailable as err:
                log.warning("not checking `%s` of `%s`: %s", option.field, entry.id, err)
                return None
            return fresh.contains(value, params)

        return await check_inputs(entry, inputs, contains)

    def _refresh(
        self, slot: _Slot, source: OptionSource, target: SourceTarget
    ) -> asyncio.Task[Snapshot]:
        if slot.refreshing is None or slot.refreshing.done():
            slot.started = self._clock()
            slot.refreshing = asyncio.create_task(self._read(slot, source, target, slot.started))
            slot.refreshing.add_done_callback(_log_failure)
        return slot.refreshing

    async def _read(
        self, slot: _Slot, source: OptionSource, target: SourceTarget, started: float
    ) -> Snapshot:
        info = await self._reader.info(target)
        current = slot.snapshot
        if not info.ready:
            if current is None:
                raise Unavailable(
                    f"The inventory of `{source.name}` is still reading its first list; "
                    "try again in a moment",
                    retry_after=2,
                )
            slot.checked = started
            return current
        if current is not None and current.version == info.version:
            slot.snapshot = dataclasses.replace(current, refreshed_at=info.refreshed_at)
        else:
            items, version = await self._items(source, target, info.version)
            build = lambda: Snapshot.build(  # noqa: E731
                source.name,
                source.param_names,
                items,
                version=version,
                refreshed_at=info.refreshed_at,
                refresh_seconds=info.refresh_seconds or source.refresh_seconds,
            )
            if len(items) > THREAD_ABOVE:
                slot.snapshot = await asyncio.to_thread(build)
                # A large index is hundreds of thousands of long-lived objects; left to the
                # cyclic collector, each full collection would scan them all and stall a
                # keystroke. They hold no cycles, so refcounting still frees them.
                gc.freeze()
            else:
                slot.snapshot = build()
        slot.checked = started
        return slot.snapshot

    async def _items(
        self, source: OptionSource, target: SourceTarget, version: int
    ) -> tuple[list[OptionItem], int]:
        for _ in range(MAX_RESTARTS):
            items: list[OptionItem] = []
            while True:
                chunk = await self._reader.page(
                    target, PageRequest(version=version, offset=len(items), limit=PAGE_SIZE)
                )
                if chunk.version != version:
                    version = chunk.version  # changed while we read it: start over
                    break
                items += chunk.items
                if len(items) >= chunk.total or not chunk.items:
                    return items, version
        raise Unavailable(f"The inventory of `{source.name}` kept changing while it was read")


def _log_failure(task: asyncio.Task[Snapshot]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("refreshing an inventory failed: %s", task.exception())
