"""platform's workflows against the Temporal server itself: approvals, re-checks, refusals."""

from __future__ import annotations

from datetime import timedelta

from google.protobuf.duration_pb2 import Duration
from temporalio.api.nexus.v1 import EndpointSpec, EndpointTarget
from temporalio.api.operatorservice.v1 import (
    CreateNexusEndpointRequest,
    ListNexusEndpointsRequest,
)
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest

from examples.platform.models import CreateNamespaceResult, EndpointResult
from foyer.testing import FoyerEnvironment
from tests.examples.conftest import ADA, GRACE, MARGARET, unique


async def test_a_prod_namespace_waits_for_platform_and_is_created(
    teams: FoyerEnvironment,
) -> None:
    name = unique("team")
    inputs = {"namespace": name, "owner_team": "payments", "retention_days": 5, "dry_run": False}
    run = await teams.submit("create-temporal-namespace", inputs, requester=ADA)
    assert run.namespace == "platform"

    status = await run.wait_for("awaiting_approval")
    assert status.plan["actions"] == [
        f"Register namespace {name} for payments, keeping closed workflows 5 days"
    ]
    refused = await run.approve(GRACE)
    assert (refused.accepted, refused.code) == (False, "forbidden")
    assert (await run.approve(MARGARET, "welcome")).accepted

    result = await run.result(CreateNamespaceResult)
    assert result.created and result.approved_by == [MARGARET.subject]
    described = await teams.client().workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=name)
    )
    assert described.namespace_info.data["created-by-run"] == run.run_id
    assert described.config.workflow_execution_retention_ttl.ToTimedelta() == timedelta(days=5)


async def test_a_namespace_registered_by_someone_else_meanwhile_stops_the_run(
    teams: FoyerEnvironment,
) -> None:
    name = unique("team")
    inputs = {"namespace": name, "owner_team": "search", "dry_run": False}
    run = await teams.submit("create-temporal-namespace", inputs, requester=ADA)
    await run.wait_for("awaiting_approval")
    await teams.client().workflow_service.register_namespace(
        RegisterNamespaceRequest(
            namespace=name, workflow_execution_retention_period=Duration(seconds=86_400)
        )
    )
    await run.approve(MARGARET)
    outcome = await run.outcome()
    assert outcome.error is not None
    assert (outcome.status, outcome.error.type) == ("failed", "PlanChanged")


async def endpoint_target(teams: FoyerEnvironment, name: str) -> tuple[str, str]:
    listed = await teams.client().operator_service.list_nexus_endpoints(
        ListNexusEndpointsRequest(name=name)
    )
    worker = listed.endpoints[0].spec.target.worker
    return worker.namespace, worker.task_queue


async def test_retargeting_an_endpoint_needs_to_be_asked_for(teams: FoyerEnvironment) -> None:
    name = unique("endpoint")
    await teams.client().operator_service.create_nexus_endpoint(
        CreateNexusEndpointRequest(
            spec=EndpointSpec(
                name=name,
                target=EndpointTarget(
                    worker=EndpointTarget.Worker(namespace="cloud-ops", task_queue="old-queue")
                ),
            )
        )
    )
    inputs = {"endpoint": name, "target_namespace": "platform", "dry_run": False}

    blocked = await teams.submit(
        "set-up-nexus-endpoint", inputs, requester=ADA, environment="stage"
    )
    outcome = await blocked.outcome()
    assert outcome.error is not None and outcome.error.type == "Blocked"
    assert outcome.error.message == (
        f"Endpoint {name} already targets namespace cloud-ops, task queue old-queue; "
        "set replace_existing to retarget it"
    )
    assert await endpoint_target(teams, name) == ("cloud-ops", "old-queue")

    run = await teams.submit(
        "set-up-nexus-endpoint",
        {**inputs, "replace_existing": True},
        requester=ADA,
        environment="stage",
    )
    result = await run.result(EndpointResult)
    assert result.change == "retarget"
    assert await endpoint_target(teams, name) == ("platform", "foyer-nexus-platform")


async def test_an_endpoint_to_a_missing_namespace_is_refused(teams: FoyerEnvironment) -> None:
    inputs = {"endpoint": unique("endpoint"), "target_namespace": "no-such-namespace"}
    run = await teams.submit("set-up-nexus-endpoint", inputs, requester=ADA)
    outcome = await run.outcome()
    assert outcome.error is not None
    assert outcome.error.message == "Namespace no-such-namespace does not exist; create it first"
