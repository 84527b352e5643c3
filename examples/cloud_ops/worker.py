"""cloud-ops' workflow worker: ``python -m examples.cloud_ops.worker``.

Connects with Foyer's settings (``FOYER_TEMPORAL_ADDRESS``) to the cloud-ops
namespace and serves the domain task queue its catalog entries name.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from temporalio.worker import Worker

from examples.cloud_ops.activities import delete_table, describe_table
from examples.cloud_ops.workflows import TASK_QUEUE, DeleteDynamoDBTable
from foyer.settings import get_settings
from foyer.temporal import connect, run_until_signalled

NAMESPACE = "cloud-ops"


async def serve(stop: asyncio.Event) -> None:
    client = await connect(get_settings(), namespace=NAMESPACE)
    with ThreadPoolExecutor(max_workers=8) as executor:
        async with Worker(
            client,
            task_queue=TASK_QUEUE,
            workflows=[DeleteDynamoDBTable],
            activities=[describe_table, delete_table],
            activity_executor=executor,
        ):
            print(f"serving {TASK_QUEUE} in {NAMESPACE}", flush=True)
            await stop.wait()


if __name__ == "__main__":
    run_until_signalled(serve)
