"""Schedules as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ScheduledRun(BaseModel):
    """One firing of a schedule and the run it submitted."""

    scheduled_at: datetime
    started_at: datetime
    run_id: str = Field(description="The run this firing submitted (absent if it was refused).")


class ScheduleView(BaseModel):
    """A schedule from the catalog, with its state in Temporal."""

    id: str = Field(description="`<entry>.<name>`")
    entry: str
    name: str
    title: str = ""
    description: str = ""
    cron: str | None = None
    every_seconds: int | None = None
    timezone: str = "UTC"
    environment: str
    requester: str = Field(description="Service identity each run is requested as.")
    inputs: dict[str, Any]
    paused: bool = False
    note: str = Field(default="", description="Who paused or unpaused it last, and why.")
    next_run_times: list[datetime] = Field(default_factory=list)
    recent_runs: list[ScheduledRun] = Field(default_factory=list)
    synced: bool = Field(
        default=True, description="False until the gateway created it in Temporal."
    )
    can_manage: bool = Field(
        default=False, description="Whether the caller may pause, unpause and trigger it."
    )


class ScheduleList(BaseModel):
    schedules: list[ScheduleView]
