"""The Nexus handler worker a team runs on its endpoint's task queue."""

from __future__ import annotations

import asyncio

from temporalio.client import Client
from temporalio.worker import Worker

from foyer.catalog import Catalog
from foyer.contracts.names import handler_task_queue
from foyer.publish.control import ControlServiceHandler
from foyer.publish.handler import build_workflows_handler
from foyer.signing import Verifier


def nexus_worker(client: Client, catalog: Catalog, verifier: Verifier) -> Worker:
    """A worker serving ``client``'s namespace: its generated service and the control service."""
    namespace = client.namespace
    entries = catalog.for_namespace(namespace)
    return Worker(
        client,
        task_queue=handler_task_queue(namespace),
        nexus_service_handlers=[
            build_workflows_handler(entries, verifier, catalog.sources),
            ControlServiceHandler(entries, verifier),
        ],
    )


async def run_nexus_worker(
    client: Client, catalog: Catalog, verifier: Verifier, stop: asyncio.Event
) -> None:
    """Serve until ``stop`` is set."""
    async with nexus_worker(client, catalog, verifier):
        await stop.wait()
