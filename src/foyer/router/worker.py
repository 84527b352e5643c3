"""The gateway-namespace worker that runs RouterWorkflows.

Every run pays for three router workflow tasks, so the worker is tuned for
them (docs/benchmarks.md has the measurements):

- The sandbox passes the router's own module through instead of re-importing
  it for every run, which was most of the first task's cost. Builtins such
  as ``open`` stay restricted; the router's determinism is checked by
  replaying its histories under the default, strict sandbox in the tests.
- A client that shares this worker's process and client starts runs eagerly
  (``request_eager_start``): the first task comes back with the start response.
"""

from __future__ import annotations

import asyncio

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from foyer.contracts.names import ROUTER_TASK_QUEUE
from foyer.router.workflow import RouterWorkflow

PASSED_THROUGH = (
    "foyer.router.workflow",
    "foyer.contracts",
    "pydantic",
    "pydantic_core",
    "nexusrpc",
)
"""Modules the router's sandbox takes from the worker instead of importing them per run."""

ROUTER_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSED_THROUGH)
)


def router_worker(client: Client, task_queue: str = ROUTER_TASK_QUEUE) -> Worker:
    """A worker for RouterWorkflows on ``client``'s namespace."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[RouterWorkflow],
        workflow_runner=ROUTER_RUNNER,
    )


async def run_router_worker(client: Client, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set."""
    async with router_worker(client):
        await stop.wait()
