"""The gateway-namespace worker of scheduled runs, run beside the router worker."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.worker import Worker

from foyer.contracts.names import SCHEDULES_TASK_QUEUE
from foyer.schedules.submit import ScheduledSubmitter
from foyer.schedules.workflow import ScheduledRunWorkflow


def schedules_worker(client: Client, submitter: ScheduledSubmitter) -> Worker:
    """A worker for the workflows Temporal Schedules start, and their submit activity."""
    return Worker(
        client,
        task_queue=SCHEDULES_TASK_QUEUE,
        workflows=[ScheduledRunWorkflow],
        activities=[submitter.submit],
    )
