"""cloud-ops' destructive workflows in prod: approvals, the re-check before acting, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from examples.cloud_ops.models.rds import DeleteDatabaseResult, SnapshotCleanupResult
from foyer.devstack._aws.emulator import CREATED_AT_TAG
from foyer.testing import FoyerEnvironment, RunFailed
from tests.examples.conftest import ADA, GRACE, LINUS, Emulator, unique


def create_instance(rds: Any, protected: bool = False) -> str:
    name = unique("test-db")
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t3.medium",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="admin_user",
        MasterUserPassword="not-a-secret-1",
        DeletionProtection=protected,
    )
    return name


def instance_exists(rds: Any, name: str) -> bool:
    return any(
        i["DBInstanceIdentifier"] == name for i in rds.describe_db_instances()["DBInstances"]
    )


def delete_inputs(name: str, **changes: Any) -> dict[str, Any]:
    return {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "kind": "instance",
        "identifier": name,
        "dry_run": False,
        "reason": "Decommissioning a test database",
        **changes,
    }


async def test_prod_delete_needs_two_approvers_and_keeps_a_final_snapshot(
    teams: FoyerEnvironment, aws: Emulator
) -> None:
    rds = aws.client("rds")
    name = create_instance(rds)
    run = await teams.submit("delete-rds", delete_inputs(name), requester=ADA)

    status = await run.wait_for("awaiting_approval")
    assert status.plan["actions"] == [
        f"Delete instance {name} (postgres {status.plan['database']['engine_version']}), "
        f"keeping a final snapshot {status.plan['final_snapshot_id']}"
    ]
    assert (await run.approve(GRACE)).accepted
    assert (await run.status()).phase == "awaiting_approval"  # type: ignore[union-attr]
    assert instance_exists(rds, name)
    assert (await run.approve(LINUS)).accepted

    result = await run.result(DeleteDatabaseResult)
    assert result.deleted and result.approved_by == [GRACE.subject, LINUS.subject]
    assert not instance_exists(rds, name)
    final = await run.status()
    assert final is not None and final.irreversible == f"Deleting instance {name}"
    snapshot = rds.describe_db_snapshots(DBSnapshotIdentifier=result.final_snapshot_id)
    assert snapshot["DBSnapshots"][0]["DBInstanceIdentifier"] == name


async def test_nothing_is_deleted_when_the_database_changed_during_the_wait(
    teams: FoyerEnvironment, aws: Emulator
) -> None:
    rds = aws.client("rds")
    name = create_instance(rds)
    run = await teams.submit("delete-rds", delete_inputs(name), requester=ADA)
    await run.wait_for("awaiting_approval")

    rds.modify_db_instance(DBInstanceIdentifier=name, DeletionProtection=True)
    await run.approve(GRACE)
    await run.approve(LINUS)

    with pytest.raises(RunFailed) as caught:
        await run.result(DeleteDatabaseResult)
    error = caught.value.outcome.error
    assert error is not None and error.type == "PlanChanged"
    assert error.message == (
        "The plan changed while the run waited for approval, so nothing was done: "
        "deletion_protection was False, now True. Submit a new request to plan again."
    )
    assert instance_exists(rds, name)


async def test_a_protected_database_is_refused_before_anyone_is_asked(
    teams: FoyerEnvironment, aws: Emulator
) -> None:
    name = create_instance(aws.client("rds"), protected=True)
    run = await teams.submit("delete-rds", delete_inputs(name, dry_run=True), requester=ADA)
    outcome = await run.outcome()
    assert outcome.status == "failed"
    assert outcome.error is not None and outcome.error.type == "Blocked"
    assert outcome.error.message == (
        f"instance {name} has deletion protection on; turn it off first if it really should go"
    )


async def test_a_rejection_leaves_the_database(teams: FoyerEnvironment, aws: Emulator) -> None:
    rds = aws.client("rds")
    name = create_instance(rds)
    run = await teams.submit("delete-rds", delete_inputs(name), requester=ADA)
    await run.wait_for("awaiting_approval")
    assert (await run.reject(GRACE, "still has connections")).accepted
    outcome = await run.outcome()
    assert outcome.status == "rejected"
    assert instance_exists(rds, name)


async def test_the_requester_may_not_approve_their_own_delete(
    teams: FoyerEnvironment, aws: Emulator
) -> None:
    name = create_instance(aws.client("rds"))
    run = await teams.submit("delete-rds", delete_inputs(name), requester=GRACE)
    await run.wait_for("awaiting_approval")
    refused = await run.approve(GRACE)
    assert (refused.accepted, refused.code) == (False, "forbidden")
    assert (await run.cancel(GRACE, "changed my mind")).accepted
    assert (await run.outcome()).status == "cancelled"


async def test_snapshot_cleanup_skips_what_was_tagged_to_keep_during_the_wait(
    teams: FoyerEnvironment, aws: Emulator
) -> None:
    # Older than anything seeded, so only this test's snapshots qualify.
    rds = aws.client("rds", "us-west-2")
    source = create_instance(rds)
    now = datetime.now(UTC)
    names = {age: f"{source}-{age}d" for age in (3000, 2500, 2200, 10)}
    for age, snapshot in names.items():
        created = (now - timedelta(days=age)).isoformat()
        rds.create_db_snapshot(
            DBSnapshotIdentifier=snapshot,
            DBInstanceIdentifier=source,
            Tags=[{"Key": CREATED_AT_TAG, "Value": created}]
            + ([{"Key": "keep", "Value": "true"}] if age == 2500 else []),
        )
    inputs = {
        "aws_account": "sandbox",
        "region": "us-west-2",
        "older_than_days": 2000,
        "dry_run": False,
    }
    run = await teams.submit("delete-old-rds-snapshots", inputs, requester=ADA)

    status = await run.wait_for("awaiting_approval")
    planned = [s["identifier"] for s in status.plan["to_delete"]]
    assert planned == [names[3000], names[2200]]
    assert [s["age_days"] for s in status.plan["to_delete"]] == [3000, 2200]
    assert status.plan["kept"] == 1

    arn = rds.describe_db_snapshots(DBSnapshotIdentifier=names[2200])["DBSnapshots"][0]
    rds.add_tags_to_resource(
        ResourceName=arn["DBSnapshotArn"], Tags=[{"Key": "keep", "Value": "true"}]
    )
    await run.approve(GRACE)

    result = await run.result(SnapshotCleanupResult)
    assert result.deleted == [names[3000]]
    assert result.skipped == [f"{names[2200]}: tagged keep or deleted since the plan"]
    left = {s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots()["DBSnapshots"]}
    assert {names[2500], names[2200], names[10]} <= left
    assert names[3000] not in left
