"""The gateway-namespace worker that runs RouterWorkflows."""

from __future__ import annotations

import asyncio

from temporalio.client import Client
from temporalio.worker import Worker

from foyer.contracts.names import ROUTER_TASK_QUEUE
from foyer.router.workflow import RouterWorkflow


def router_worker(client: Client, task_queue: str = ROUTER_TASK_QUEUE) -> Worker:
    return Worker(client, task_queue=task_queue, workflows=[RouterWorkflow])


async def run_router_worker(client: Client, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set."""
    async with router_worker(client):
        await stop.wait()
