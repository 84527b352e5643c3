"""The workflow a Temporal Schedule starts: submit one run, through the run service.

A schedule cannot start a RouterWorkflow itself: a run needs a freshly signed,
short-lived identity token. So the schedule starts this small workflow in the
gateway namespace, and its activity, run by the router worker process that
holds the signing key, submits the run exactly as the gateway would.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from foyer.contracts.names import SCHEDULED_RUN_WORKFLOW, SUBMIT_SCHEDULED_RUN_ACTIVITY
    from foyer.contracts.schedules import ScheduledRunRequest, ScheduledRunResult

REFUSED = "Refused"
"""Error type of a submission the run service refused; retrying would not help."""
SUBMIT_RETRY = RetryPolicy(
    maximum_attempts=10,
    maximum_interval=timedelta(seconds=30),
    non_retryable_error_types=[REFUSED],
)


@workflow.defn(name=SCHEDULED_RUN_WORKFLOW)
class ScheduledRunWorkflow:
    """Submits the run of one schedule firing; its id (schedule id and time) is the
    idempotency key, so retries never submit twice."""

    @workflow.run
    async def run(self, request: ScheduledRunRequest) -> ScheduledRunResult:
        result: ScheduledRunResult = await workflow.execute_activity(
            SUBMIT_SCHEDULED_RUN_ACTIVITY,
            request,
            result_type=ScheduledRunResult,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=SUBMIT_RETRY,
        )
        return result
