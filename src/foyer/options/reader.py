"""Reading a team's inventory workflow with Queries: the gateway's only access to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowQueryFailedError, WorkflowQueryRejectedError
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import SourceTarget
from foyer.contracts.names import OPTIONS_INFO_QUERY, OPTIONS_PAGE_QUERY
from foyer.contracts.options import InventoryChunk, InventoryInfo, PageRequest
from foyer.errors import Unavailable

QUERY_TIMEOUT = timedelta(seconds=5)


class TemporalInventoryReader:
    """Sends the inventory Queries through a client of the team's namespace."""

    def __init__(self, client_for: Callable[[str], Awaitable[Client]]) -> None:
        self._client_for = client_for

    async def info(self, target: SourceTarget) -> InventoryInfo:
        result: InventoryInfo = await self._query(target, OPTIONS_INFO_QUERY, None, InventoryInfo)
        return result

    async def page(self, target: SourceTarget, request: PageRequest) -> InventoryChunk:
        result: InventoryChunk = await self._query(
            target, OPTIONS_PAGE_QUERY, request, InventoryChunk
        )
        return result

    async def _query(self, target: SourceTarget, query: str, arg: Any, result_type: type) -> Any:
        client = await self._client_for(target.namespace)
        handle = client.get_workflow_handle(target.workflow_id)
        args = [] if arg is None else [arg]
        try:
            return await handle.query(
                query, *args, result_type=result_type, rpc_timeout=QUERY_TIMEOUT
            )
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise Unavailable(
                    f"No inventory workflow `{target.workflow_id}` runs in namespace "
                    f"`{target.namespace}`; the owning team must start its inventory worker"
                ) from err
            raise Unavailable(
                f"The inventory `{target.workflow_id}` did not answer: {err.message}"
            ) from err
        except (WorkflowQueryFailedError, WorkflowQueryRejectedError) as err:
            raise Unavailable(
                f"The inventory `{target.workflow_id}` refused to answer: {err}"
            ) from err
