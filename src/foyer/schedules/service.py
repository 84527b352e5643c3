"""Schedules for the API: list them with their next times, pause, unpause, trigger.

Only the owning team (members of the entry's approver groups) may pause,
unpause or trigger a schedule; everybody may see them. Every change, and every
refused attempt, is audited (``schedule.paused``, ``schedule.unpaused``,
``schedule.triggered``). The run id of each
firing is derived, not read: it is the run the submit activity creates for
that firing's idempotency key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable

from temporalio.client import (
    ScheduleActionExecutionStartWorkflow,
    ScheduleDescription,
    ScheduleHandle,
    ScheduleOverlapPolicy,
)
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import Catalog, Entry
from foyer.catalog import Schedule as CatalogSchedule
from foyer.contracts.names import idempotent_run_id, schedule_id
from foyer.db.audit import AuditLog
from foyer.errors import Conflict, Forbidden
from foyer.runs import Backend, Caller
from foyer.runs.backend import READ_TIMEOUT, WRITE_TIMEOUT, unavailable
from foyer.schedules.models import ScheduledRun, ScheduleView
from foyer.schedules.spec import declared, find


class ScheduleService:
    """The catalog's schedules as they stand in the gateway namespace."""

    def __init__(self, catalog: Catalog, backend: Backend, secret: bytes, audit: AuditLog) -> None:
        self._catalog = catalog
        self._backend = backend
        self._secret = secret
        self._audit = audit

    async def views(self, groups: Iterable[str]) -> list[ScheduleView]:
        """Every schedule, with ``can_manage`` for a member of ``groups``."""
        groups = list(groups)
        found = declared(self._catalog)
        views = await asyncio.gather(
            *(self._view(entry, schedule, groups) for entry, schedule in found.values())
        )
        return sorted(views, key=lambda view: view.id)

    async def get(self, identifier: str, groups: Iterable[str]) -> ScheduleView:
        entry, schedule = find(self._catalog, identifier)
        return await self._view(entry, schedule, list(groups))

    async def pause(self, caller: Caller, identifier: str, note: str = "") -> ScheduleView:
        handle = await self._managed(caller, identifier, "schedule.paused")
        await self._call(
            handle.pause(note=_note("Paused", caller, note), rpc_timeout=WRITE_TIMEOUT)
        )
        return await self._changed(caller, identifier, "schedule.paused", {"note": note})

    async def unpause(self, caller: Caller, identifier: str, note: str = "") -> ScheduleView:
        handle = await self._managed(caller, identifier, "schedule.unpaused")
        await self._call(
            handle.unpause(note=_note("Unpaused", caller, note), rpc_timeout=WRITE_TIMEOUT)
        )
        return await self._changed(caller, identifier, "schedule.unpaused", {"note": note})

    async def trigger(self, caller: Caller, identifier: str) -> ScheduleView:
        """Fire the schedule now, paused or not; the run appears in ``recent_runs`` shortly."""
        handle = await self._managed(caller, identifier, "schedule.triggered")
        await self._call(
            handle.trigger(overlap=ScheduleOverlapPolicy.ALLOW_ALL, rpc_timeout=WRITE_TIMEOUT)
        )
        return await self._changed(caller, identifier, "schedule.triggered", {})

    async def _managed(self, caller: Caller, identifier: str, action: str) -> ScheduleHandle:
        entry, _ = find(self._catalog, identifier)
        if not entry.may_approve(caller.identity.groups):
            groups = ", ".join(entry.access.approve) or "none"
            refusal = Forbidden(
                f"Only the owning team of `{entry.id}` ({groups}) may pause, unpause or "
                "trigger its schedules",
                "id",
            )
            await self._audit.record(
                caller.actor, action, identifier, outcome="refused", detail={"reason": str(refusal)}
            )
            raise refusal
        client = await self._backend.client()
        return client.get_schedule_handle(identifier)

    async def _changed(
        self, caller: Caller, identifier: str, action: str, detail: dict[str, str]
    ) -> ScheduleView:
        await self._audit.record(caller.actor, action, identifier, detail=detail)
        return await self.get(identifier, caller.identity.groups)

    async def _call(self, action: Awaitable[None]) -> None:
        try:
            await action
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise Conflict(
                    "This schedule is not in Temporal yet; the gateway creates it at start-up"
                ) from err
            raise unavailable(err, "changing the schedule") from err

    async def _view(
        self, entry: Entry, schedule: CatalogSchedule, groups: list[str]
    ) -> ScheduleView:
        identifier = schedule_id(entry.id, schedule.name)
        view = ScheduleView(
            id=identifier,
            entry=entry.id,
            name=schedule.name,
            title=schedule.title,
            description=schedule.description,
            cron=schedule.cron,
            every_seconds=schedule.every_seconds,
            timezone=schedule.timezone,
            environment=schedule.environment or entry.default_environment,
            requester=schedule.requester,
            inputs=schedule.inputs,
            can_manage=entry.may_approve(groups),
        )
        client = await self._backend.client()
        try:
            description = await client.get_schedule_handle(identifier).describe(
                rpc_timeout=READ_TIMEOUT
            )
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                view.synced = False
                view.paused = schedule.paused
                return view
            raise unavailable(err, "reading schedules") from err
        return self._with_state(view, description, schedule.requester)

    def _with_state(
        self, view: ScheduleView, description: ScheduleDescription, requester: str
    ) -> ScheduleView:
        state = description.schedule.state
        view.paused = state.paused
        view.note = state.note or ""
        view.next_run_times = list(description.info.next_action_times)
        for action in description.info.recent_actions:
            started = action.action
            if not isinstance(started, ScheduleActionExecutionStartWorkflow):
                continue
            view.recent_runs.append(
                ScheduledRun(
                    scheduled_at=action.scheduled_at,
                    started_at=action.started_at,
                    run_id=idempotent_run_id(self._secret, requester, started.workflow_id),
                )
            )
        return view


def _note(what: str, caller: Caller, note: str) -> str:
    return f"{what} by {caller.identity.subject}" + (f": {note}" if note else "")
