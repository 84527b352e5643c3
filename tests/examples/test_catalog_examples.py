"""Every catalog example, run through the router, the team's Nexus handler and its workflow.

Dry runs must succeed and change nothing; each entry's real example must do
what it says, checked on the emulator or the Temporal server itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from temporalio.api.operatorservice.v1 import ListNexusEndpointsRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest

from foyer.catalog import Catalog
from foyer.contracts import RunOutcome
from foyer.testing import ExampleCase, FoyerEnvironment, Run, example_cases
from tests.examples.conftest import ADA, CATALOG, GRACE, LINUS, MARGARET, Emulator

CASES = example_cases(Catalog.load(CATALOG))
APPROVERS = {"cloud-ops": [GRACE, LINUS], "platform": [MARGARET]}

Check = Callable[[Emulator, FoyerEnvironment, dict[str, Any]], Awaitable[None]]


async def _until_done(run: Run, case: ExampleCase) -> RunOutcome:
    """Approve as the entry's approvers whenever the run waits for it; return the outcome."""
    policy = case.entry.approval_for(case.example.environment)
    if policy.required and not case.example.inputs.get("dry_run", True):
        await run.wait_for("awaiting_approval")
        for approver in APPROVERS[case.entry.owners[0]][: policy.min_approvers]:
            assert (await run.approve(approver, "checked")).accepted
    return await run.outcome()


async def dynamodb_table_deleted(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    tables = aws.client("dynamodb", "us-east-1", "data-prod").list_tables()["TableNames"]
    assert "sessions-cache" not in tables
    assert "sessions-cache" in aws.client("dynamodb").list_tables()["TableNames"]


async def cluster_resized(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    rds = aws.client("rds")
    members = rds.describe_db_clusters(DBClusterIdentifier="orders-aurora")["DBClusters"][0]
    for member in members["DBClusterMembers"]:
        instance = rds.describe_db_instances(DBInstanceIdentifier=member["DBInstanceIdentifier"])
        assert instance["DBInstances"][0]["DBInstanceClass"] == "db.r6g.xlarge"
    # Readers first, the writer last.
    assert [m["identifier"] for m in result["resized"]] == [
        "orders-aurora-instance-2",
        "orders-aurora-instance-1",
    ]


async def instance_deleted_with_snapshot(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    rds = aws.client("rds")
    names = [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]]
    assert "legacy-billing-01" not in names
    snapshot = rds.describe_db_snapshots(DBSnapshotIdentifier=result["final_snapshot_id"])
    assert snapshot["DBSnapshots"][0]["DBInstanceIdentifier"] == "legacy-billing-01"


async def instance_rebooted(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    assert result["status"] in {"rebooting", "available"}
    assert result["plan"]["database"]["ref"]["identifier"] == "orders-reporting-01"


async def insights_enabled(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    raw = aws.client("rds").describe_db_instances(DBInstanceIdentifier="checkout-aurora-instance-1")
    # The emulator reports the retention it was given, not the enabled flag.
    assert raw["DBInstances"][0]["PerformanceInsightsRetentionPeriod"] == 31
    assert [m["identifier"] for m in result["enabled"]] == ["checkout-aurora-instance-1"]


async def clone_restored(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    rds = aws.client("rds")
    clone = rds.describe_db_clusters(DBClusterIdentifier="orders-aurora-migration-test")
    cluster = clone["DBClusters"][0]
    assert [m["DBInstanceIdentifier"] for m in cluster["DBClusterMembers"]] == [
        "orders-aurora-migration-test-instance-1"
    ]
    tags = {t["Key"]: t["Value"] for t in cluster.get("TagList", [])}
    assert tags["cloned-from"] == "orders-aurora"
    assert tags["requested-by"] == ADA.subject
    latest = rds.describe_db_cluster_snapshots(DBClusterIdentifier="orders-aurora")
    newest = max(latest["DBClusterSnapshots"], key=lambda s: s["SnapshotCreateTime"])
    assert result["plan"]["snapshot_id"] == newest["DBClusterSnapshotIdentifier"]


async def engine_switched(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    group = aws.client("elasticache").describe_replication_groups(
        ReplicationGroupId="checkout-ratelimit"
    )["ReplicationGroups"][0]
    assert group["Engine"] == "valkey"


async def cache_deleted_with_snapshot(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    elasticache = aws.client("elasticache")
    group = elasticache.describe_replication_groups(ReplicationGroupId="search-cache")
    assert group["ReplicationGroups"][0]["Status"] == "deleting"
    snapshots = elasticache.describe_snapshots(SnapshotName=result["final_snapshot_name"])
    assert snapshots["Snapshots"][0]["ReplicationGroupId"] == "search-cache"


async def old_snapshots_deleted(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    assert result["deleted"], result
    assert all(s["age_days"] >= 180 for s in result["plan"]["to_delete"])
    rds = aws.client("rds", "eu-west-1", "data-prod")
    left = {s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots()["DBSnapshots"]}
    left |= {
        s["DBClusterSnapshotIdentifier"]
        for s in rds.describe_db_cluster_snapshots()["DBClusterSnapshots"]
    }
    assert not left & set(result["deleted"])
    assert "events-archive-01-2025-q3" in result["deleted"]
    assert {"events-archive-01-legal-hold", "events-archive-01-2026-q3"} <= left  # kept, young


async def namespace_registered(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    described = await env.client().workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace="payments-sandbox")
    )
    assert described.namespace_info.data["owner-team"] == "payments"
    assert described.config.workflow_execution_retention_ttl.seconds == 3 * 86_400


async def endpoint_created(aws: Emulator, env: FoyerEnvironment, result: Any) -> None:
    listed = await env.client().operator_service.list_nexus_endpoints(
        ListNexusEndpointsRequest(name="platform-tools")
    )
    worker = listed.endpoints[0].spec.target.worker
    assert (worker.namespace, worker.task_queue) == ("platform", "foyer-nexus-platform")


REAL: dict[tuple[str, str], Check] = {
    ("delete-dynamodb-table", "Delete a retired cache"): dynamodb_table_deleted,
    ("resize-rds", "Resize an Aurora cluster now"): cluster_resized,
    ("delete-rds", "Retire a legacy instance"): instance_deleted_with_snapshot,
    ("reboot-rds-instance", "Reboot in stage"): instance_rebooted,
    ("enable-rds-performance-insights", "Enable on a cluster"): insights_enabled,
    ("clone-rds-cluster", "Restore the latest snapshot in stage"): clone_restored,
    ("upgrade-redis-to-valkey", "Upgrade a rate limiter in stage"): engine_switched,
    ("delete-elasticache", "Delete a retired cache in stage"): cache_deleted_with_snapshot,
    ("delete-old-rds-snapshots", "Clean up data-prod in stage"): old_snapshots_deleted,
    ("create-temporal-namespace", "Create a namespace in stage"): namespace_registered,
    ("set-up-nexus-endpoint", "Create an endpoint in stage"): endpoint_created,
}


def test_every_entry_has_a_dry_run_and_a_checked_real_example() -> None:
    entries = {case.entry.id for case in CASES}
    assert {entry for entry, _ in REAL} == entries
    for entry in entries:
        dry = [c for c in CASES if c.entry.id == entry and c.example.inputs.get("dry_run", True)]
        assert dry, f"{entry} has no dry-run example"
    for entry, name in REAL:
        (case,) = [c for c in CASES if (c.entry.id, c.example.name) == (entry, name)]
        assert case.example.inputs["dry_run"] is False


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_example_runs(case: ExampleCase, teams: FoyerEnvironment, aws: Emulator) -> None:
    run = await teams.submit(
        case.entry.id, case.example.inputs, requester=ADA, environment=case.example.environment
    )
    assert run.namespace == case.entry.target(case.example.environment).namespace

    outcome = await _until_done(run, case)

    assert outcome.status == "succeeded", outcome.error
    result = outcome.result
    assert result["dry_run"] is case.example.inputs.get("dry_run", True)
    assert result["plan"]["actions"], "a plan says what it would do"
    check = REAL.get((case.entry.id, case.example.name))
    if result["dry_run"]:
        assert check is None
    else:
        assert check is not None, "every real example has its effect checked"
        await check(aws, teams, result)
