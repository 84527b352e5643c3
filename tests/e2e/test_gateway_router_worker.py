"""A gateway that runs a router worker itself starts runs eagerly, and still routes them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from temporalio.api.enums.v1 import EventType, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from foyer.cli.gateway import with_router_worker
from foyer.contracts.models import FINAL_STATUSES
from foyer.contracts.names import ROUTER_TASK_QUEUE
from foyer.devstack import Stack
from foyer.gateway.app import create_app
from foyer.temporal import GATEWAY_IDENTITY
from tests.e2e.conftest import ENTRY, Api, delete_inputs
from tests.polling import eventually


@pytest.fixture
async def gateway(stack: Stack, api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process gateway with ``FOYER_GATEWAY_ROUTER_WORKER`` on, as Ada."""
    app: FastAPI = create_app(stack.settings.model_copy(update={"gateway_router_worker": True}))
    with_router_worker(app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://gateway.test",
            headers={"Authorization": f"Bearer {api.keys['ada']}"},
            timeout=30,
        ) as client,
    ):
        yield client


async def gateway_worker_polls(client: Client) -> bool:
    described = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=ROUTER_TASK_QUEUE),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return any(poller.identity == GATEWAY_IDENTITY for poller in described.pollers)


async def test_runs_start_eagerly_on_the_gateways_router_worker(
    gateway: httpx.AsyncClient, gateway_client: Client, table: str
) -> None:
    await eventually(
        lambda: gateway_worker_polls(gateway_client),
        bool,
        what="the gateway's router worker polling",
    )

    response = await gateway.post(
        "/api/runs", json={"workflow": ENTRY, "inputs": delete_inputs(table, dry_run=True)}
    )
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]

    async def read() -> dict[str, object]:
        return (await gateway.get(f"/api/runs/{run_id}")).json()  # type: ignore[no-any-return]

    done = await eventually(
        read, lambda run: run["status"] in FINAL_STATUSES, what=f"run {run_id} finished"
    )
    assert done["status"] == "succeeded", done

    events = (await gateway_client.get_workflow_handle(run_id).fetch_history()).events
    started, scheduled, first_task = events[:3]
    assert [e.event_type for e in (started, scheduled, first_task)] == [
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    ]
    # Eager: the first task was handed to the gateway's worker with the start response.
    assert started.workflow_execution_started_event_attributes.eager_execution_accepted
    assert first_task.workflow_task_started_event_attributes.identity == GATEWAY_IDENTITY
