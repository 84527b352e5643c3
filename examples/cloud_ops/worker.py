"""cloud-ops' workflow worker: ``python -m examples.cloud_ops.worker``.

Connects with Foyer's settings (``FOYER_TEMPORAL_ADDRESS``) to the cloud-ops
namespace and serves the domain task queue its catalog entries name, with the
inventory behind the ``dynamodb-tables`` option source.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from temporalio.worker import Worker

from examples.cloud_ops.activities import delete_table, describe_table
from examples.cloud_ops.inventory import dynamodb_tables
from examples.cloud_ops.workflows import TASK_QUEUE, DeleteDynamoDBTable
from foyer.catalog import Catalog
from foyer.publish.inventory import Inventories, Inventory
from foyer.settings import get_settings
from foyer.temporal import connect, run_until_signalled

NAMESPACE = "cloud-ops"


INVENTORIES = Inventories(Inventory.of_list("dynamodb-tables", dynamodb_tables))


async def serve(stop: asyncio.Event) -> None:
    settings = get_settings()
    catalog = Catalog.load(settings.catalog_dir)
    client = await connect(settings, namespace=NAMESPACE)
    with ThreadPoolExecutor(max_workers=8) as executor:
        async with Worker(
            client,
            task_queue=TASK_QUEUE,
            workflows=[DeleteDynamoDBTable, *INVENTORIES.workflows],
            activities=[describe_table, delete_table, *INVENTORIES.activities],
            activity_executor=executor,
        ):
            started = await INVENTORIES.start(client, catalog)
            print(f"serving {TASK_QUEUE} in {NAMESPACE}; inventories: {started}", flush=True)
            await stop.wait()


if __name__ == "__main__":
    run_until_signalled(serve)
