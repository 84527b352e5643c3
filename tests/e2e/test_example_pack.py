"""The example pack in the real stack: both teams, stage and prod, through the HTTP API."""

from __future__ import annotations

from typing import Any

import boto3

from foyer.catalog import Catalog
from foyer.contracts.names import team_workflow_id
from foyer.devstack import Stack
from foyer.temporal import connect
from tests.e2e.conftest import REPO, Api

CATALOG = Catalog.load(REPO / "examples" / "catalog")


async def start(api: Api, entry: str, inputs: dict[str, Any], environment: str) -> dict[str, Any]:
    response = await api.call(
        "ada",
        "POST",
        "/api/runs",
        json={"workflow": entry, "inputs": inputs, "environment": environment},
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_every_dry_run_example_plans_through_the_gateway(api: Api) -> None:
    runs = [
        (
            entry.id,
            example.name,
            await start(
                api, entry.id, example.inputs, example.environment or entry.default_environment
            ),
        )
        for entry in CATALOG.entries
        for example in entry.examples
        if example.inputs.get("dry_run", True)
    ]
    assert {entry for entry, _, _ in runs} == {entry.id for entry in CATALOG.entries}
    for entry, name, run in runs:
        done = await api.wait_status(run["id"], "succeeded", "failed", "rejected", timeout=60)
        assert done["status"] == "succeeded", (entry, name, done["error"])
        assert done["result"]["dry_run"] is True
        assert "actions" in done["result"]["plan"], (entry, name)


async def test_stage_runs_in_the_stage_namespace_without_approval(api: Api, stack: Stack) -> None:
    aws = str(stack.credentials["aws_endpoint_url"])
    rds = boto3.client(
        "rds",
        endpoint_url=aws,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    inputs = {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "kind": "instance",
        "identifier": "orders-reporting-01",
        "retention_days": 7,
        "dry_run": False,
    }
    run = await start(api, "enable-rds-performance-insights", inputs, "stage")
    done = await api.wait_status(run["id"], "succeeded", "failed", timeout=60)
    assert done["status"] == "succeeded", done["error"]
    assert done["environment"] == "stage"
    assert done["approvals"] == []

    stage = await connect(stack.settings, namespace="cloud-ops-stage")
    described = await stage.get_workflow_handle(
        team_workflow_id("enable-rds-performance-insights", run["id"])
    ).describe()
    assert described.workflow_type == "EnableRDSPerformanceInsights"
    instance = rds.describe_db_instances(DBInstanceIdentifier="orders-reporting-01")
    assert instance["DBInstances"][0]["PerformanceInsightsRetentionPeriod"] == 7


async def test_prod_waits_for_approval_in_the_prod_namespace(api: Api, stack: Stack) -> None:
    inputs = {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "kind": "instance",
        "identifier": "orders-db-01",
        "instance_class": "db.m6g.xlarge",
        "dry_run": False,
        "reason": "Checking that prod asks for approval",
    }
    run = await start(api, "resize-rds", inputs, "prod")
    waiting = await api.wait_status(run["id"], "awaiting_approval")
    assert waiting["plan"]["to_resize"] == ["orders-db-01"]
    prod = await connect(stack.settings, namespace="cloud-ops")
    handle = prod.get_workflow_handle(team_workflow_id("resize-rds", run["id"]))
    assert (await handle.describe()).workflow_type == "ResizeRDS"

    response = await api.call("ada", "POST", f"/api/runs/{run['id']}/cancel", json={})
    assert response.status_code == 200, response.text
    done = await api.wait_status(run["id"], "cancelled", "failed", "succeeded")
    assert done["status"] == "cancelled"
