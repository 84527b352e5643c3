"""The run service's database side: the ledger and the audit log, off the event loop."""

from __future__ import annotations

from typing import Any

from foyer.db import Actor, AuditFilter, LedgerRun, NewRun, Observation, Stores
from foyer.db.audit import Outcome
from foyer.runs.models import Run


def observation_of(run: Run) -> Observation:
    """What a freshly read run tells the ledger."""
    return Observation(
        status=run.status,
        message=run.message,
        plan=run.plan,
        deciders=[approval.approver for approval in run.approvals],
        closed_at=run.closed_at,
    )


def changed(recorded: LedgerRun, seen: Observation) -> bool:
    if recorded.final:
        return False
    deciders = {d.lower() for d in seen.deciders or []}
    return (
        recorded.status != seen.status
        or recorded.message != seen.message
        or (seen.plan is not None and recorded.plan != seen.plan)
        or not deciders <= set(recorded.deciders)
    )


class RunRecords:
    """Async access to the ledger and the audit log for the run service."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self._db = stores.db

    async def find(self, run_id: str) -> LedgerRun | None:
        return await self._db.call(self.stores.ledger.get, run_id)

    async def add(self, run: NewRun, actor: Actor) -> LedgerRun:
        """Record an accepted run (and ``run.submitted``); an existing record wins."""
        recorded, _ = await self._db.call(self.stores.ledger.add, run, actor)
        return recorded

    async def observe(self, recorded: LedgerRun, run: Run) -> None:
        """Save a run's fresh status when it differs from the record."""
        seen = observation_of(run)
        if changed(recorded, seen):
            await self._db.call(self.stores.ledger.observe, recorded.id, seen)

    async def audit(
        self,
        actor: Actor,
        action: str,
        target: str,
        *,
        outcome: Outcome = "ok",
        detail: dict[str, Any] | None = None,
    ) -> None:
        await self.stores.audit.record(actor, action, target, outcome=outcome, detail=detail)

    async def audit_decision(
        self, actor: Actor, action: str, run_id: str, decision: str, detail: dict[str, Any]
    ) -> None:
        """Audit an accepted decision once, however often a retry returns its answer."""

        def already() -> bool:
            page = self.stores.audit.page(AuditFilter(target=run_id, action=action), limit=200)
            return any(record.detail.get("decision") == decision for record in page.items)

        if not await self._db.call(already):
            await self.audit(actor, action, run_id, detail={**detail, "decision": decision})
