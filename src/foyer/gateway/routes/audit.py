"""``GET /api/audit``: the hash-chained audit log, for admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from foyer.db import AuditFilter, AuditRecord
from foyer.gateway.deps import AdminUser, State

router = APIRouter(prefix="/audit", tags=["admin"])


class AuditPage(BaseModel):
    """Records newest first; pass ``next_cursor`` as ``cursor`` for older ones."""

    items: list[AuditRecord]
    next_cursor: str | None = None


@router.get("", operation_id="listAudit")
def list_audit(
    state: State,
    admin: AdminUser,
    actor: Annotated[str | None, Query(max_length=320)] = None,
    action: Annotated[str | None, Query(max_length=40, examples=["run.approved"])] = None,
    target: Annotated[
        str | None, Query(max_length=320, description="A run id, key id or user.")
    ] = None,
    since: Annotated[datetime | None, Query(description="ISO 8601, inclusive.")] = None,
    until: Annotated[datetime | None, Query(description="ISO 8601, exclusive.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> AuditPage:
    """Who did what, when, from where, with each record's chained hash (scope `admin`)."""
    where = AuditFilter(actor=actor, action=action, target=target, since=since, until=until)
    page = state.stores.audit.page(where, cursor, limit)
    return AuditPage(items=page.items, next_cursor=page.next_cursor)
