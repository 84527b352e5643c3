"""Waits for the dev server and creates the Nexus endpoints the catalog names."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

from temporalio.api.nexus.v1 import EndpointSpec, EndpointTarget
from temporalio.api.operatorservice.v1 import (
    CreateNexusEndpointRequest,
    ListNexusEndpointsRequest,
    UpdateNexusEndpointRequest,
)
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client

from foyer.contracts.names import handler_task_queue
from foyer.devstack._errors import StackError
from foyer.settings import Settings
from foyer.temporal import connect

T = TypeVar("T")
POLL_INTERVAL = 0.1


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion, also when the caller is inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as err:
            outcome["error"] = err

    thread = threading.Thread(target=target, name="devstack-temporal")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def _wait_for_namespaces(
    settings: Settings, namespaces: tuple[str, ...], deadline: float, alive: Callable[[], bool]
) -> Client:
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if not alive():
            raise StackError("temporal exited while starting")
        try:
            client = await connect(settings)
            for namespace in namespaces:
                await client.workflow_service.describe_namespace(
                    DescribeNamespaceRequest(namespace=namespace)
                )
            return client
        except Exception as err:
            last_error = err
        await asyncio.sleep(POLL_INTERVAL)
    raise StackError(f"temporal did not become ready at {settings.temporal_address}: {last_error}")


def endpoint_spec(name: str, namespace: str) -> EndpointSpec:
    """An endpoint routing to the Nexus handler worker of ``namespace``."""
    return EndpointSpec(
        name=name,
        target=EndpointTarget(
            worker=EndpointTarget.Worker(
                namespace=namespace, task_queue=handler_task_queue(namespace)
            )
        ),
    )


async def ensure_endpoints(client: Client, endpoints: Mapping[str, str]) -> None:
    """Create missing endpoints and retarget ones that point elsewhere; leave others alone."""
    existing = {}
    token = b""
    while True:
        page = await client.operator_service.list_nexus_endpoints(
            ListNexusEndpointsRequest(page_size=100, next_page_token=token)
        )
        existing.update({endpoint.spec.name: endpoint for endpoint in page.endpoints})
        token = page.next_page_token
        if not token:
            break
    for name, namespace in sorted(endpoints.items()):
        spec = endpoint_spec(name, namespace)
        current = existing.get(name)
        if current is None:
            await client.operator_service.create_nexus_endpoint(
                CreateNexusEndpointRequest(spec=spec)
            )
        elif current.spec.target != spec.target:
            await client.operator_service.update_nexus_endpoint(
                UpdateNexusEndpointRequest(id=current.id, version=current.version, spec=spec)
            )


async def _prepare(
    settings: Settings,
    namespaces: tuple[str, ...],
    endpoints: Mapping[str, str],
    timeout: float,
    alive: Callable[[], bool],
) -> None:
    deadline = time.monotonic() + timeout
    client = await _wait_for_namespaces(settings, namespaces, deadline, alive)
    await ensure_endpoints(client, endpoints)


def prepare_temporal(
    settings: Settings,
    namespaces: tuple[str, ...],
    endpoints: Mapping[str, str],
    *,
    timeout: float,
    alive: Callable[[], bool],
) -> None:
    """Wait until every namespace answers, then make the Nexus endpoints match the catalog."""
    run_sync(_prepare(settings, namespaces, endpoints, timeout, alive))
