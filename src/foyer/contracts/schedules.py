"""Payloads of scheduled runs, started by Temporal Schedules in the gateway namespace."""

from __future__ import annotations

from pydantic import BaseModel


class ScheduledRunRequest(BaseModel):
    """Input of the scheduled-run workflow: only which catalog schedule fired.

    Everything the run asks for is read from the catalog by the activity, so a
    workflow started by anyone else in the gateway namespace can at most fire a
    schedule the catalog declares.
    """

    schedule_id: str


class ScheduledRunResult(BaseModel):
    """Result of the scheduled-run workflow."""

    run_id: str
    created: bool = True
