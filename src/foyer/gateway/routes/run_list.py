"""``GET /api/runs``: runs from the ledger, filtered, newest first, cursor-paginated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from foyer.db import RunQuery
from foyer.gateway.deps import CurrentCaller, Queries
from foyer.runs.models import RunListItem

router = APIRouter(prefix="/runs", tags=["runs"])


class RunList(BaseModel):
    """One page of runs; pass ``next_cursor`` as ``cursor`` for the next, ``null`` on the last."""

    items: list[RunListItem]
    next_cursor: str | None = None


@router.get("", operation_id="listRuns")
async def list_runs(
    caller: CurrentCaller,
    queries: Queries,
    workflow: Annotated[str | None, Query(max_length=200, description="Catalog id.")] = None,
    requester: Annotated[
        str | None, Query(max_length=320, description="A subject, or `me`.")
    ] = None,
    status: Annotated[
        list[str] | None, Query(description="Repeat for several: `status=running&status=pending`.")
    ] = None,
    environment: Annotated[str | None, Query(max_length=100)] = None,
    namespace: Annotated[str | None, Query(max_length=200)] = None,
    created_after: Annotated[datetime | None, Query(description="ISO 8601, inclusive.")] = None,
    created_before: Annotated[datetime | None, Query(description="ISO 8601, exclusive.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> RunList:
    """Runs the gateway accepted, newest first; status is at most 2 s behind the workflows."""
    query = RunQuery(
        workflow=workflow,
        requester=requester,
        statuses=status or [],
        environment=environment,
        namespace=namespace,
        created_after=created_after,
        created_before=created_before,
    )
    page = await queries.runs(caller, query, cursor, limit)
    return RunList(items=page.items, next_cursor=page.next_cursor)
