"""Schedules: list them with their next run times; pause, unpause and trigger for the owners."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from foyer.gateway.deps import CurrentCaller, State
from foyer.schedules.models import ScheduleList, ScheduleView

router = APIRouter(prefix="/schedules", tags=["schedules"])


class ScheduleNote(BaseModel):
    """Optional body of ``pause`` and ``unpause``: why, recorded on the schedule."""

    note: str = Field(default="", max_length=500)


@router.get("", operation_id="listSchedules")
async def list_schedules(state: State, caller: CurrentCaller) -> ScheduleList:
    """Every schedule the catalog declares, with its next run times and recent runs."""
    return ScheduleList(schedules=await state.schedules.views(caller.identity.groups))


@router.get("/{schedule_id}", operation_id="getSchedule")
async def get_schedule(schedule_id: str, state: State, caller: CurrentCaller) -> ScheduleView:
    """One schedule."""
    return await state.schedules.get(schedule_id, caller.identity.groups)


@router.post("/{schedule_id}/pause", operation_id="pauseSchedule")
async def pause_schedule(
    schedule_id: str, state: State, caller: CurrentCaller, body: ScheduleNote | None = None
) -> ScheduleView:
    """Stop firing until unpaused; for the entry's approver groups."""
    return await state.schedules.pause(caller, schedule_id, (body or ScheduleNote()).note)


@router.post("/{schedule_id}/unpause", operation_id="unpauseSchedule")
async def unpause_schedule(
    schedule_id: str, state: State, caller: CurrentCaller, body: ScheduleNote | None = None
) -> ScheduleView:
    """Fire again on schedule; for the entry's approver groups."""
    return await state.schedules.unpause(caller, schedule_id, (body or ScheduleNote()).note)


@router.post(
    "/{schedule_id}/trigger", status_code=status.HTTP_202_ACCEPTED, operation_id="triggerSchedule"
)
async def trigger_schedule(schedule_id: str, state: State, caller: CurrentCaller) -> ScheduleView:
    """Fire once now, paused or not; the run shows in ``recent_runs`` within moments."""
    return await state.schedules.trigger(caller, schedule_id)
