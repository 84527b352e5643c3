"""What a team uses to publish an option source.

The team writes one function that reads its world (boto3, an API, a database)
and returns the options, and registers it with :class:`Inventories` in the
worker that serves the source's task queue::

    def dynamodb_tables() -> list[OptionItem]:
        ...

    inventories = Inventories(Inventory.of_list("dynamodb-tables", dynamodb_tables))
    worker = Worker(
        client,
        task_queue="datastore-queue",
        workflows=[*team_workflows, *inventories.workflows],
        activities=[*team_activities, *inventories.activities],
        activity_executor=executor,
    )
    async with worker:
        await inventories.start(client, catalog)

``start`` starts (or finds running) one inventory workflow per source the
catalog keeps in the client's namespace, with the workflow id, task queue and
refresh interval the source declares there. A large inventory can be read in
pages: give :class:`Inventory` a function of a cursor returning an
:class:`~foyer.contracts.options.InventoryPage`.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError

from foyer.catalog import Catalog, OptionSource, SourceNotFound, SourceTarget
from foyer.contracts.names import (
    INVENTORY_FETCH_ACTIVITY,
    OPTIONS_INFO_QUERY,
    OPTIONS_REFRESH_UPDATE,
)
from foyer.contracts.options import (
    FetchRequest,
    InventoryInfo,
    InventoryInput,
    InventoryPage,
    OptionItem,
)
from foyer.publish.inventory_workflow import InventoryWorkflow

log = logging.getLogger("foyer.publish.inventory")

Fetch = Callable[[str | None], InventoryPage | Awaitable[InventoryPage]]
"""Reads one page: called with ``None`` first, then with each ``cursor`` returned."""

UNKNOWN_SOURCE = "UnknownOptionSource"


@dataclass(frozen=True)
class Inventory:
    """How a team reads one option source's items.

    Attributes:
        source: The source's name in the catalog.
        fetch: Reads one page; plain functions run in a thread, so blocking
            clients such as boto3 are fine.
    """

    source: str
    fetch: Fetch

    @classmethod
    def of_list(
        cls, source: str, read: Callable[[], Iterable[OptionItem] | Awaitable[Iterable[OptionItem]]]
    ) -> Inventory:
        """An inventory read in one call that returns every item."""

        async def fetch(cursor: str | None) -> InventoryPage:
            items = await _call(read)
            return InventoryPage(items=list(items))

        return cls(source, fetch)


class Inventories:
    """A team's inventories: the workflow and activity to register, and starting them."""

    def __init__(self, *inventories: Inventory) -> None:
        self._by_source = {inventory.source: inventory for inventory in inventories}

    @property
    def names(self) -> list[str]:
        """The option sources these inventories serve."""
        return sorted(self._by_source)

    def queues(self, catalog: Catalog) -> set[tuple[str, str]]:
        """Every ``(namespace, task queue)`` the catalog runs these inventories on."""
        return {
            (target.namespace, target.task_queue)
            for source in catalog.sources
            if source.name in self._by_source
            for target in source.targets()
        }

    @property
    def workflows(self) -> list[type]:
        return [InventoryWorkflow]

    @property
    def activities(self) -> list[Callable[..., Any]]:
        return [self.fetch]

    @activity.defn(name=INVENTORY_FETCH_ACTIVITY)
    async def fetch(self, request: FetchRequest) -> InventoryPage:
        """The fetch activity: one page of one source, read by the team's function."""
        inventory = self._by_source.get(request.source)
        if inventory is None:
            known = ", ".join(sorted(self._by_source)) or "none"
            raise ApplicationError(
                f"This worker has no inventory for `{request.source}` (it has: {known})",
                type=UNKNOWN_SOURCE,
                non_retryable=True,
            )
        page = await _call(inventory.fetch, request.cursor)
        if not isinstance(page, InventoryPage):
            raise ApplicationError(
                f"The fetch function of `{request.source}` must return an InventoryPage",
                non_retryable=True,
            )
        digest = page_digest(page.items)
        if digest == request.previous:
            return InventoryPage(cursor=page.cursor, digest=digest, unchanged=True)
        return InventoryPage(items=page.items, cursor=page.cursor, digest=digest)

    def targets(self, client: Client, catalog: Catalog) -> list[tuple[OptionSource, SourceTarget]]:
        """The inventories this worker keeps in ``client``'s namespace, per the catalog."""
        found = []
        for name in sorted(self._by_source):
            try:
                source = catalog.source(name)
            except SourceNotFound:
                log.warning("option source `%s` is not in the catalog; not starting it", name)
                continue
            found += [(source, t) for t in source.targets() if t.namespace == client.namespace]
        return found

    async def start(self, client: Client, catalog: Catalog) -> list[str]:
        """Start the inventory workflow of every source this worker keeps in ``client``'s
        namespace, unless it is already running; returns their workflow ids."""
        started = []
        for source, target in self.targets(client, catalog):
            await client.start_workflow(
                InventoryWorkflow.run,
                InventoryInput(source=source.name, refresh_seconds=source.refresh_seconds),
                id=target.workflow_id,
                task_queue=target.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            )
            started.append(target.workflow_id)
        return started


async def wait_ready(client: Client, workflow_ids: Sequence[str], timeout: float = 60.0) -> None:
    """Wait until each inventory has read the world once (tests and start-up scripts).

    Raises:
        TimeoutError: An inventory was not ready within ``timeout`` seconds.
    """
    deadline = asyncio.get_running_loop().time() + timeout
    for workflow_id in workflow_ids:
        handle = client.get_workflow_handle(workflow_id)
        while True:
            info = await handle.query(OPTIONS_INFO_QUERY, result_type=InventoryInfo)
            if info.ready:
                break
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"inventory `{workflow_id}` did not read the world in time")
            await asyncio.sleep(0.1)


async def refresh(
    client: Client, source: OptionSource, environment: str | None = None
) -> InventoryInfo:
    """Ask a source's inventory to read the world now, e.g. right after a workflow
    created or deleted a resource; returns once that refresh is done.

    Only the owning team's own clients may do this: the gateway never writes to
    a team namespace.
    """
    handle: WorkflowHandle[Any, Any] = client.get_workflow_handle(
        source.target(environment).workflow_id
    )
    return await handle.execute_update(OPTIONS_REFRESH_UPDATE, result_type=InventoryInfo)


def page_digest(items: list[OptionItem]) -> str:
    """A digest of one page of options, as the inventory workflow compares them."""
    hasher = hashlib.sha256()
    for item in items:
        hasher.update(item.model_dump_json().encode())
        hasher.update(b"\n")
    return hasher.hexdigest()


async def _call(function: Callable[..., Any], *args: Any) -> Any:
    if inspect.iscoroutinefunction(function):
        return await function(*args)
    result = await asyncio.to_thread(function, *args)
    if inspect.isawaitable(result):
        return await result
    return result


__all__: Sequence[str] = ["Fetch", "Inventories", "Inventory", "refresh", "wait_ready"]
