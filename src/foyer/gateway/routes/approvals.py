"""``GET /api/approvals``: the caller's inbox of runs awaiting their decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from foyer.gateway.deps import CurrentCaller, Queries
from foyer.runs.models import InboxItem

router = APIRouter(prefix="/approvals", tags=["approvals"])


class Inbox(BaseModel):
    """Runs awaiting the caller's decision, oldest first, each with its plan."""

    items: list[InboxItem]
    next_cursor: str | None = None


class InboxCount(BaseModel):
    count: int


@router.get("", operation_id="listApprovals")
async def list_approvals(
    caller: CurrentCaller,
    queries: Queries,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Inbox:
    """Runs the caller may decide (approver group, not their own unless allowed, not decided
    by them yet), oldest first."""
    page = await queries.inbox(caller, cursor, limit)
    return Inbox(items=page.items, next_cursor=page.next_cursor)


@router.get("/count", operation_id="countApprovals")
async def count_approvals(caller: CurrentCaller, queries: Queries) -> InboxCount:
    """How many runs await the caller's decision, for a badge."""
    return InboxCount(count=await queries.inbox_count(caller))
