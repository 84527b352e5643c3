"""How a catalog schedule becomes a Temporal Schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from temporalio.client import ScheduleActionStartWorkflow, ScheduleOverlapPolicy

from foyer.catalog import Catalog, Schedule
from foyer.contracts.names import SCHEDULED_RUN_WORKFLOW, SCHEDULES_TASK_QUEUE
from foyer.contracts.schedules import ScheduledRunRequest
from foyer.schedules.spec import ScheduleNotFound, declared, find, temporal_schedule
from tests.unit.options.entries import plain_entry

NIGHTLY = Schedule(name="nightly", cron="0 3 * * *", timezone="Europe/Paris", requester="s@x")


def test_a_cron_schedule_starts_the_scheduled_run_workflow_with_only_its_id() -> None:
    schedule = temporal_schedule(plain_entry(), NIGHTLY)

    assert list(schedule.spec.cron_expressions) == ["0 3 * * *"]
    assert schedule.spec.time_zone_name == "Europe/Paris"
    action = schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.task_queue) == (SCHEDULED_RUN_WORKFLOW, SCHEDULES_TASK_QUEUE)
    assert action.id == "delete-table.nightly"
    assert list(action.args) == [ScheduledRunRequest(schedule_id="delete-table.nightly")]
    assert schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
    assert schedule.state.paused is False


def test_an_interval_schedule_and_a_paused_one() -> None:
    often = Schedule(name="often", every_seconds=300, requester="s@x", paused=True)
    schedule = temporal_schedule(plain_entry(), often)

    assert [interval.every for interval in schedule.spec.intervals] == [timedelta(minutes=5)]
    assert (schedule.state.paused, schedule.state.note) == (True, "Paused in the catalog")


def test_schedules_are_found_by_entry_and_name() -> None:
    entry = replace(plain_entry(), schedules=[NIGHTLY])
    catalog = Catalog(root=entry.source, entries=[entry])

    assert list(declared(catalog)) == ["delete-table.nightly"]
    assert find(catalog, "delete-table.nightly") == (entry, NIGHTLY)
    with pytest.raises(ScheduleNotFound, match=r"ids are `<entry>\.<schedule name>`"):
        find(catalog, "delete-table.weekly")
