"""Making the gateway namespace's Temporal Schedules match the catalog.

Idempotent: a missing schedule is created, an existing one gets the catalog's
timing (its paused state and note, which operators set, are kept), and a
schedule created from the catalog that the catalog no longer declares is
deleted. Schedules created by other means are left alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from temporalio.client import (
    Client,
    Schedule,
    ScheduleAlreadyRunningError,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from foyer.catalog import Catalog
from foyer.contracts.names import SCHEDULE_MEMO_KEY
from foyer.schedules.spec import declared, temporal_schedule

log = logging.getLogger("foyer.schedules")


@dataclass
class SyncReport:
    """Schedule ids by what the sync did to them."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


async def sync_schedules(client: Client, catalog: Catalog) -> SyncReport:
    """Create, update and delete the Temporal Schedules of ``client``'s namespace to match
    ``catalog``."""
    report = SyncReport()
    wanted = declared(catalog)
    for identifier, (entry, schedule) in sorted(wanted.items()):
        desired = temporal_schedule(entry, schedule)
        try:
            await client.create_schedule(
                identifier,
                desired,
                memo={SCHEDULE_MEMO_KEY: {"entry": entry.id, "name": schedule.name}},
            )
            report.created.append(identifier)
            continue
        except ScheduleAlreadyRunningError:
            pass
        await client.get_schedule_handle(identifier).update(_keeping_state(desired))
        report.updated.append(identifier)
    # Listing is eventually consistent: a schedule deleted here may still be listed
    # for a moment, and one created a moment ago may not be yet; neither matters.
    async for listed in await client.list_schedules():
        if listed.id in wanted:
            continue
        marker = (await listed.memo()).get(SCHEDULE_MEMO_KEY)
        if marker is not None:
            await client.get_schedule_handle(listed.id).delete()
            report.deleted.append(listed.id)
    log.info(
        "schedules synced: created %s, updated %s, deleted %s",
        report.created,
        report.updated,
        report.deleted,
    )
    return report


def _keeping_state(desired: Schedule) -> Callable[[ScheduleUpdateInput], ScheduleUpdate]:
    """An updater that sets the catalog's timing and action but keeps paused state and note."""

    def update(current: ScheduleUpdateInput) -> ScheduleUpdate:
        desired.state = current.description.schedule.state
        return ScheduleUpdate(schedule=desired)

    return update


async def sync_until_done(
    client: Callable[[], Awaitable[Client]], catalog: Catalog, retry_seconds: float = 5.0
) -> SyncReport:
    """:func:`sync_schedules`, retried until Temporal answers; what the gateway runs at start-up."""
    while True:
        try:
            return await sync_schedules(await client(), catalog)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # Temporal not up yet, or a transient error: try again
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # Cancelled while a connect failed at the same moment: Python 3.11's
                # asyncio.wait_for then raises the failure instead, and a retry would
                # keep the gateway from ever shutting down.
                raise asyncio.CancelledError from err
            log.warning("syncing schedules failed, retrying in %ss: %s", retry_seconds, err)
            await asyncio.sleep(retry_seconds)
