"""Lists of runs from the ledger: the run list and an approver's inbox.

Both read only the database, whose status the reconciler keeps at most a
couple of seconds behind Temporal; neither asks Temporal anything.
"""

from __future__ import annotations

from typing import Any

from foyer.catalog import Catalog
from foyer.contracts.policy import decision_refusal
from foyer.db import LedgerRun, Page, RunQuery, Stores
from foyer.db.ledger import cursor_of
from foyer.db.pagination import check_limit
from foyer.runs.models import InboxItem, RunListItem
from foyer.runs.service import Caller

SCAN_BATCH = 200


def list_item(run: LedgerRun) -> RunListItem:
    return RunListItem.model_validate(_fields(run))


def inbox_item(run: LedgerRun) -> InboxItem:
    return InboxItem.model_validate(
        {
            **_fields(run),
            "requester_name": run.requester_name,
            "namespace": run.namespace,
            "message": run.message,
            "inputs": run.inputs,
            "plan": run.plan,
        }
    )


def _fields(run: LedgerRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "workflow": run.workflow,
        "title": run.title,
        "environment": run.environment,
        "status": run.status,
        "requester": run.requester,
        "created_at": run.created_at,
        "closed_at": run.closed_at,
    }


class RunQueries:
    """Lists for one gateway: ``GET /api/runs`` and ``GET /api/approvals``."""

    def __init__(self, catalog: Catalog, stores: Stores) -> None:
        self._catalog = catalog
        self._stores = stores

    async def runs(
        self,
        caller: Caller,
        query: RunQuery,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[RunListItem]:
        """Runs matching ``query``, newest first; ``requester="me"`` means the caller."""
        if query.requester == "me":
            query = query.model_copy(update={"requester": caller.identity.subject})
        page = await self._stores.db.call(self._stores.ledger.page, query, cursor, limit)
        return Page(items=[list_item(run) for run in page.items], next_cursor=page.next_cursor)

    async def inbox(
        self, caller: Caller, cursor: str | None = None, limit: int = 50
    ) -> Page[InboxItem]:
        """Runs awaiting a decision the caller may make and has not made, oldest first."""
        limit = check_limit(limit)
        found = await self._stores.db.call(self._awaiting, caller, cursor, limit + 1)
        items = [inbox_item(run) for run in found[:limit]]
        more = len(found) > limit
        return Page(items=items, next_cursor=cursor_of(found[limit - 1]) if more else None)

    async def inbox_count(self, caller: Caller) -> int:
        """How many runs await the caller's decision (for a badge)."""
        return len(await self._stores.db.call(self._awaiting, caller, None, None))

    def _awaiting(self, caller: Caller, cursor: str | None, wanted: int | None) -> list[LedgerRun]:
        identity = caller.identity
        entries = {
            entry.id: entry for entry in self._catalog.entries if entry.may_approve(identity.groups)
        }
        found: list[LedgerRun] = []
        while wanted is None or len(found) < wanted:
            batch = SCAN_BATCH if wanted is None else min(wanted, SCAN_BATCH)
            page = self._stores.ledger.awaiting(entries, cursor, batch)
            for run in page.items:
                entry = entries[run.workflow]
                refusal = decision_refusal(
                    identity.subject,
                    identity.groups,
                    requester=run.requester,
                    approver_groups=entry.access.approve,
                    allow_self_approval=entry.recorded_approval(
                        run.environment
                    ).allow_self_approval,
                    decided_by=run.deciders,
                )
                if refusal is None:
                    found.append(run)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        return found if wanted is None else found[:wanted]
