"""How a catalog schedule becomes a Temporal Schedule in the gateway namespace."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
)

from foyer.catalog import Catalog, Entry
from foyer.catalog import Schedule as CatalogSchedule
from foyer.contracts.names import SCHEDULED_RUN_WORKFLOW, SCHEDULES_TASK_QUEUE, schedule_id
from foyer.contracts.schedules import ScheduledRunRequest
from foyer.errors import NotFound

CATCHUP_WINDOW = timedelta(minutes=1)
"""After an outage, only a firing missed by less than this still happens: no burst of runs."""
RUN_TIMEOUT = timedelta(minutes=10)
"""Bound on the scheduled-run workflow, which only submits a run."""


class ScheduleNotFound(NotFound):
    """No catalog entry declares a schedule with this id."""

    def __init__(self, identifier: str) -> None:
        super().__init__(
            f"Schedule `{identifier}` is not in the catalog; ids are `<entry>.<schedule name>`",
            "id",
        )
        self.identifier = identifier


def declared(catalog: Catalog) -> dict[str, tuple[Entry, CatalogSchedule]]:
    """Every schedule the catalog declares, by id."""
    return {
        schedule_id(entry.id, schedule.name): (entry, schedule)
        for entry in catalog.entries
        for schedule in entry.schedules
    }


def find(catalog: Catalog, identifier: str) -> tuple[Entry, CatalogSchedule]:
    """The entry and schedule with id ``identifier``.

    Raises:
        ScheduleNotFound: The catalog declares no such schedule.
    """
    found = declared(catalog).get(identifier)
    if found is None:
        raise ScheduleNotFound(identifier)
    return found


def temporal_schedule(entry: Entry, schedule: CatalogSchedule) -> Schedule:
    """The Temporal Schedule for ``schedule``: only timing and which schedule fired.

    What the run asks for stays in the catalog and is read when it fires.
    """
    identifier = schedule_id(entry.id, schedule.name)
    if schedule.cron is not None:
        spec = ScheduleSpec(cron_expressions=[schedule.cron], time_zone_name=schedule.timezone)
    else:
        every = timedelta(seconds=schedule.every_seconds or 0)
        spec = ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)])
    return Schedule(
        action=ScheduleActionStartWorkflow(
            SCHEDULED_RUN_WORKFLOW,
            ScheduledRunRequest(schedule_id=identifier),
            id=identifier,
            task_queue=SCHEDULES_TASK_QUEUE,
            execution_timeout=RUN_TIMEOUT,
            static_summary=f"{schedule.title or schedule.name} of {entry.id}",
        ),
        spec=spec,
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=CATCHUP_WINDOW),
        state=ScheduleState(
            paused=schedule.paused,
            note="Paused in the catalog" if schedule.paused else "",
        ),
    )
