"""The inventory workflow: keeps one option source's items fresh and answers Queries.

It runs in the owning team's namespace, one execution per source (the
workflow id the catalog declares). Every ``refresh_seconds`` it reads the world
again through the fetch activity, page by page, and keeps the items in memory;
the version grows only when they changed, and a page that did not change comes
back empty from the activity, so a steady inventory adds little history. The
gateway reads it with Queries only. When the history grows large it continues
as new, carrying the items along when they are small enough to fit in one
payload.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from foyer.contracts.names import (
        INVENTORY_FETCH_ACTIVITY,
        INVENTORY_WORKFLOW,
        OPTIONS_CONTAINS_QUERY,
        OPTIONS_INFO_QUERY,
        OPTIONS_PAGE_QUERY,
        OPTIONS_REFRESH_UPDATE,
    )
    from foyer.contracts.options import (
        ContainsAnswer,
        ContainsRequest,
        FetchRequest,
        InventoryChunk,
        InventoryInfo,
        InventoryInput,
        InventoryPage,
        InventoryState,
        OptionItem,
        PageRequest,
    )

FETCH_TIMEOUT = timedelta(minutes=5)
FETCH_RETRY = RetryPolicy(maximum_attempts=3, maximum_interval=timedelta(seconds=10))
MAX_PAGE = 5000
CARRY_LIMIT_BYTES = 1_000_000
"""Items are carried across continue-as-new below this size (payloads are limited to 2 MB)."""
HISTORY_LIMIT_BYTES = 30_000_000
"""Continue as new past this history size, well before Temporal's 50 MB limit."""
HISTORY_LIMIT_EVENTS = 20_000


@workflow.defn(name=INVENTORY_WORKFLOW)
class InventoryWorkflow:
    """One option source's inventory, refreshed periodically and on request."""

    @workflow.init
    def __init__(self, input: InventoryInput) -> None:
        state = input.state or InventoryState()
        self._source = input.source
        self._refresh_seconds = input.refresh_seconds
        self._version = state.version
        self._refreshed_at = state.refreshed_at
        self._pages: list[list[OptionItem]] | None = state.pages
        self._digests = state.digests if state.pages is not None else []
        self._items: list[OptionItem] | None = None
        self._by_value: dict[str, list[dict[str, str]]] = {}
        if self._pages is not None:
            self._index()
        self._error = ""
        self._failed_at: datetime | None = None
        self._refreshes = 0
        self._refreshing = False
        self._requested = False

    @workflow.run
    async def run(self, input: InventoryInput) -> None:
        while True:
            await self._refresh()
            if self._history_is_large():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    InventoryInput(
                        source=self._source,
                        refresh_seconds=self._refresh_seconds,
                        state=self._carried(),
                    )
                )
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self._requested, timeout=timedelta(seconds=self._refresh_seconds)
                )
            self._requested = False

    async def _refresh(self) -> None:
        """Read every page again; a page equal to the one read last time comes back empty
        and is kept from memory."""
        self._refreshing = True
        pages: list[list[OptionItem]] = []
        digests: list[str] = []
        cursor: str | None = None
        try:
            while True:
                number = len(pages)
                previous = self._digests[number] if number < len(self._digests) else ""
                page = await workflow.execute_activity(
                    INVENTORY_FETCH_ACTIVITY,
                    FetchRequest(
                        source=self._source, cursor=cursor, page=number, previous=previous
                    ),
                    result_type=InventoryPage,
                    start_to_close_timeout=FETCH_TIMEOUT,
                    retry_policy=FETCH_RETRY,
                )
                kept = self._pages[number] if page.unchanged and self._pages else page.items
                pages.append(kept)
                digests.append(page.digest)
                cursor = page.cursor
                if not cursor:
                    break
        except ActivityError as err:
            # Keep serving the last good items; say why they are getting old.
            self._error = str(err.cause or err)
            self._failed_at = workflow.now()
        else:
            if self._pages is None or digests != self._digests:
                self._version += 1
                self._pages = pages
                self._digests = digests
                self._index()
            self._refreshed_at = workflow.now()
            self._error = ""
            self._failed_at = None
        finally:
            self._refreshing = False
            self._refreshes += 1

    def _index(self) -> None:
        self._items = [item for page in self._pages or [] for item in page]
        self._by_value = {}
        for item in self._items:
            self._by_value.setdefault(item.value, []).append(item.params)

    def _history_is_large(self) -> bool:
        info = workflow.info()
        return (
            info.get_current_history_size() > HISTORY_LIMIT_BYTES
            or info.get_current_history_length() > HISTORY_LIMIT_EVENTS
        )

    def _carried(self) -> InventoryState:
        items = self._items or []
        size = sum(len(i.value) + len(i.label) + len(i.description) + 64 for i in items)
        small = size <= CARRY_LIMIT_BYTES
        return InventoryState(
            version=self._version,
            refreshed_at=self._refreshed_at,
            pages=self._pages if small else None,
            digests=self._digests if small else [],
        )

    @workflow.query(name=OPTIONS_INFO_QUERY)
    def info(self) -> InventoryInfo:
        return InventoryInfo(
            source=self._source,
            ready=self._items is not None,
            version=self._version,
            total=len(self._items or []),
            refreshed_at=self._refreshed_at,
            refresh_seconds=self._refresh_seconds,
            error=self._error,
            failed_at=self._failed_at,
        )

    @workflow.query(name=OPTIONS_PAGE_QUERY)
    def page(self, request: PageRequest) -> InventoryChunk:
        items = self._items or []
        if request.version != self._version:
            return InventoryChunk(version=self._version, total=len(items))
        limit = max(0, min(request.limit, MAX_PAGE))
        return InventoryChunk(
            version=self._version,
            total=len(items),
            items=items[request.offset : request.offset + limit],
        )

    @workflow.query(name=OPTIONS_CONTAINS_QUERY)
    def contains(self, request: ContainsRequest) -> ContainsAnswer:
        found = any(
            all(params.get(key) == value for key, value in request.params.items())
            for params in self._by_value.get(request.value, [])
        )
        return ContainsAnswer(
            ready=self._items is not None,
            found=found,
            version=self._version,
            refreshed_at=self._refreshed_at,
        )

    @workflow.update(name=OPTIONS_REFRESH_UPDATE)
    async def refresh_now(self) -> InventoryInfo:
        """Read the world again now; answers once a refresh that started after this call ended."""
        target = self._refreshes + (2 if self._refreshing else 1)
        self._requested = True
        await workflow.wait_condition(lambda: self._refreshes >= target)
        return self.info()
