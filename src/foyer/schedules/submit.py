"""The activity that submits a scheduled run, as the schedule's service identity.

It trusts nothing in its input but the schedule id: the environment, the
inputs and the requester come from the catalog, and the requester's groups
from the identity directory. The run then goes through the same run service,
validation, signing and approval policy as any other.
"""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from foyer.catalog import Catalog, CatalogError, EntryNotFound, InputError, UnknownEnvironment
from foyer.contracts.names import SUBMIT_SCHEDULED_RUN_ACTIVITY
from foyer.contracts.schedules import ScheduledRunRequest, ScheduledRunResult
from foyer.errors import FoyerError, Unavailable
from foyer.identities import UserDirectory
from foyer.runs import Caller, RunService
from foyer.schedules.spec import find
from foyer.schedules.workflow import REFUSED

CLIENT = "schedule"
"""Client name recorded with scheduled runs."""


class ScheduledSubmitter:
    """Holds what a submission needs: the catalog, the identity directory, the run service."""

    def __init__(self, catalog: Catalog, users: UserDirectory, runs: RunService) -> None:
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
        user = self._users.find(schedule.requester)
        if user is None:
            raise _refused(
                f"Schedule `{request.schedule_id}` runs as `{schedule.requester}`, "
                "which is not in the identity directory; an administrator must add it"
            )
        caller = Caller(identity=user.identity(), client=CLIENT)
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
