"""The activity that submits a scheduled run, as the schedule's service identity.

It trusts nothing in its input but the schedule id: the environment, the
inputs and the requester come from the catalog, and the requester's groups
from the identity directory. The run then goes through the same run service,
validation, signing and approval policy as any other.
"""

from __future__ import annotations

import asyncio

from temporalio import activity
from temporalio.exceptions import ApplicationError

from foyer.catalog import Catalog, CatalogError, EntryNotFound, InputError, UnknownEnvironment
from foyer.contracts import Identity
from foyer.contracts.names import SUBMIT_SCHEDULED_RUN_ACTIVITY
from foyer.contracts.schedules import ScheduledRunRequest, ScheduledRunResult
from foyer.db import Directory
from foyer.errors import FoyerError, NotFound, Unavailable
from foyer.runs import Caller, RunService
from foyer.schedules.spec import find
from foyer.schedules.workflow import REFUSED

CLIENT = "schedule"
"""Client name recorded with scheduled runs."""


class ScheduledSubmitter:
    """Holds what a submission needs: the catalog, the identity directory, the run service."""

    def __init__(self, catalog: Catalog, users: Directory, runs: RunService) -> None:
        self._catalog = catalog
        self._users = users
        self._runs = runs

    @activity.defn(name=SUBMIT_SCHEDULED_RUN_ACTIVITY)
    async def submit(self, request: ScheduledRunRequest) -> ScheduledRunResult:
        """Submit the run of the schedule that fired; the workflow id is the idempotency key."""
        try:
            entry, schedule = find(self._catalog, request.schedule_id)
        except FoyerError as err:
            raise _refused(err.message) from None
        try:
            user = await asyncio.to_thread(self._users.get_user, schedule.requester)
        except NotFound:
            raise _refused(
                f"Schedule `{request.schedule_id}` runs as `{schedule.requester}`, which is "
                f"not a service account; an administrator adds it with "
                f"`foyer users add {schedule.requester} --service --group …`"
            ) from None
        if user.kind != "service":
            raise _refused(
                f"Schedule `{request.schedule_id}` runs as `{schedule.requester}`, a person; "
                "schedules run as service accounts only"
            )
        identity = Identity(subject=user.email, name=user.name, groups=user.groups)
        caller = Caller(identity=identity, client=CLIENT, source="schedule")
        try:
            run, created = await self._runs.submit(
                caller,
                entry.id,
                dict(schedule.inputs),
                schedule.environment,
                idempotency_key=activity.info().workflow_id,
            )
        except Unavailable as err:
            raise ApplicationError(err.message, type="Unavailable") from None
        except (FoyerError, InputError, EntryNotFound, UnknownEnvironment, CatalogError) as err:
            raise _refused(f"Schedule `{request.schedule_id}` was refused: {err}") from None
        return ScheduledRunResult(run_id=run.id, created=created)


def _refused(message: str) -> ApplicationError:
    return ApplicationError(message, type=REFUSED, non_retryable=True)
