"""platform's activities: Temporal's namespace and operator APIs.

They use the client of the worker that runs them, so they reach the Temporal
cluster the worker is connected to (``FOYER_TEMPORAL_ADDRESS``); the workflows
themselves read no network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf.duration_pb2 import Duration
from temporalio import activity
from temporalio.api.common.v1 import Payload
from temporalio.api.nexus.v1 import Endpoint, EndpointSpec, EndpointTarget
from temporalio.api.operatorservice.v1 import (
    CreateNexusEndpointRequest,
    ListNexusEndpointsRequest,
    UpdateNexusEndpointRequest,
)
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from examples.common.plans import PLAN_CHANGED
from examples.platform.models import (
    ApplyEndpoint,
    EndpointPlan,
    EndpointState,
    NamespaceRef,
    NamespaceState,
    PlanEndpoint,
    RegisterNamespace,
)

OWNER_KEY = "owner-team"
RUN_KEY = "created-by-run"
SECONDS_PER_DAY = 86_400


def _endpoint_state(name: str, endpoint: Endpoint | None) -> EndpointState:
    if endpoint is None:
        return EndpointState(endpoint=name, exists=False)
    worker = endpoint.spec.target.worker
    return EndpointState(
        endpoint=name,
        exists=True,
        id=endpoint.id,
        version=endpoint.version,
        namespace=worker.namespace,
        task_queue=worker.task_queue,
    )


class PlatformActivities:
    """The activities, bound to a Temporal client."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def all(self) -> Sequence[Callable[..., Any]]:
        return (
            self.describe_namespace,
            self.register_namespace,
            self.plan_endpoint,
            self.apply_endpoint,
        )

    @activity.defn
    async def describe_namespace(self, ref: NamespaceRef) -> NamespaceState:
        """Whether the namespace exists, and who created it."""
        try:
            answer = await self._client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=ref.namespace)
            )
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                return NamespaceState(namespace=ref.namespace, exists=False)
            raise
        info, config = answer.namespace_info, answer.config
        return NamespaceState(
            namespace=ref.namespace,
            exists=True,
            id=info.id,
            owner_team=info.data.get(OWNER_KEY, ""),
            created_by_run=info.data.get(RUN_KEY, ""),
            retention_days=config.workflow_execution_retention_ttl.seconds // SECONDS_PER_DAY,
        )

    @activity.defn
    async def register_namespace(self, order: RegisterNamespace) -> NamespaceState:
        """Register the namespace; a retry finds the one this run registered."""
        try:
            await self._client.workflow_service.register_namespace(
                RegisterNamespaceRequest(
                    namespace=order.namespace,
                    description=order.description,
                    workflow_execution_retention_period=Duration(
                        seconds=order.retention_days * SECONDS_PER_DAY
                    ),
                    data={OWNER_KEY: order.owner_team, RUN_KEY: order.run_id},
                )
            )
        except RPCError as err:
            if err.status != RPCStatusCode.ALREADY_EXISTS:
                raise
        state = await self.describe_namespace(NamespaceRef(namespace=order.namespace))
        if state.created_by_run != order.run_id:
            raise ApplicationError(
                f"Namespace {order.namespace} was created by someone else meanwhile",
                type=PLAN_CHANGED,
                non_retryable=True,
            )
        return state

    async def _endpoint(self, name: str) -> Endpoint | None:
        token = b""
        while True:
            page = await self._client.operator_service.list_nexus_endpoints(
                ListNexusEndpointsRequest(page_size=100, next_page_token=token, name=name)
            )
            for endpoint in page.endpoints:
                if endpoint.spec.name == name:
                    return endpoint
            token = page.next_page_token
            if not token:
                return None

    @activity.defn
    async def plan_endpoint(self, order: PlanEndpoint) -> EndpointPlan:
        """What setting up the endpoint would change."""
        current = _endpoint_state(order.endpoint, await self._endpoint(order.endpoint))
        target = await self.describe_namespace(NamespaceRef(namespace=order.target_namespace))
        plan = EndpointPlan(
            current=current,
            target_namespace=order.target_namespace,
            target_task_queue=order.target_task_queue,
            namespace_exists=target.exists,
        )
        destination = f"namespace {order.target_namespace}, task queue {order.target_task_queue}"
        if not target.exists:
            plan.blockers.append(
                f"Namespace {order.target_namespace} does not exist; create it first"
            )
        if not current.exists:
            plan.change = "create"
            plan.actions.append(f"Create Nexus endpoint {order.endpoint} → {destination}")
        elif (current.namespace, current.task_queue) != (
            order.target_namespace,
            order.target_task_queue,
        ):
            plan.change = "retarget"
            was = f"namespace {current.namespace}, task queue {current.task_queue}"
            plan.actions.append(
                f"Retarget Nexus endpoint {order.endpoint} from {was} to {destination}"
            )
            plan.warnings.append(
                f"Every caller of {order.endpoint} reaches {order.target_namespace} from then on"
            )
            if not order.replace_existing:
                plan.blockers.append(
                    f"Endpoint {order.endpoint} already targets {was}; "
                    "set replace_existing to retarget it"
                )
        return plan

    @activity.defn
    async def apply_endpoint(self, order: ApplyEndpoint) -> EndpointState:
        """Create the endpoint, or retarget the version the plan saw; safe to retry."""
        spec = EndpointSpec(
            name=order.endpoint,
            target=EndpointTarget(
                worker=EndpointTarget.Worker(
                    namespace=order.target_namespace, task_queue=order.target_task_queue
                )
            ),
        )
        if order.description:
            spec.description.CopyFrom(
                Payload(
                    metadata={"encoding": b"json/plain"},
                    data=json.dumps(order.description).encode(),
                )
            )
        current = _endpoint_state(order.endpoint, await self._endpoint(order.endpoint))
        wanted = (order.target_namespace, order.target_task_queue)
        if current.exists and (current.namespace, current.task_queue) == wanted:
            return current  # done, by this run's earlier attempt or by no change needed
        if current.exists != order.expected.exists or current.version != order.expected.version:
            raise ApplicationError(
                f"Endpoint {order.endpoint} changed since the plan",
                type=PLAN_CHANGED,
                non_retryable=True,
            )
        if current.exists:
            await self._client.operator_service.update_nexus_endpoint(
                UpdateNexusEndpointRequest(id=current.id, version=current.version, spec=spec)
            )
        else:
            await self._client.operator_service.create_nexus_endpoint(
                CreateNexusEndpointRequest(spec=spec)
            )
        return _endpoint_state(order.endpoint, await self._endpoint(order.endpoint))
