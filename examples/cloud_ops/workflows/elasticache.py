"""ElastiCache: upgrade a Redis OSS replication group to Valkey, delete a replication group."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from examples.cloud_ops.activities.elasticache import (
        change_engine,
        delete_group,
        describe_group,
        snapshot_group,
    )
    from examples.cloud_ops.models.elasticache import (
        ChangeEngine,
        DeleteCacheInputs,
        DeleteCachePlan,
        DeleteCacheResult,
        Group,
        GroupRef,
        Snapshot,
        UpgradeInputs,
        UpgradePlan,
        UpgradeResult,
    )
    from examples.common.activity_options import LONG, QUICK
    from examples.common.plans import ensure_unblocked, ensure_unchanged
    from foyer.publish import Approvals, WorkflowRequest

CACHE_NOT_FOUND = "CacheNotFound"


async def _describe(ref: GroupRef) -> Group:
    group: Group = await workflow.execute_activity(describe_group, ref, **QUICK)
    if not group.exists:
        raise ApplicationError(
            f"No replication group named {ref.replication_group} in {ref.aws_account} {ref.region}",
            type=CACHE_NOT_FOUND,
            non_retryable=True,
        )
    return group


def _ref(inputs: UpgradeInputs | DeleteCacheInputs) -> GroupRef:
    return GroupRef(
        aws_account=inputs.aws_account,
        region=inputs.region,
        replication_group=inputs.replication_group,
    )


def _upgrade_plan(group: Group, target_version: str) -> UpgradePlan:
    plan = UpgradePlan(group=group, target_version=target_version)
    version = f" {group.engine_version}" if group.engine_version else ""
    if group.engine != "redis":
        plan.blockers.append(
            f"{group.ref.replication_group} runs {group.engine or 'an unknown engine'}{version}, "
            "not Redis OSS; there is nothing to upgrade"
        )
        return plan
    plan.actions.append(
        f"Switch {group.ref.replication_group} ({len(group.members)} nodes, {group.node_type}) "
        f"from Redis OSS{version} to Valkey {target_version}, applied now"
    )
    plan.warnings += [
        "The switch cannot be undone in place: going back to Redis OSS means restoring a "
        "snapshot into a new replication group",
        "Clients reconnect during the node replacements; endpoints stay the same",
    ]
    return plan


@workflow.defn(name="UpgradeRedisToValkey")
class UpgradeRedisToValkey:
    """Upgrade an ElastiCache replication group from Redis OSS to Valkey in place."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> UpgradeResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(UpgradeInputs)
        ref = _ref(inputs)
        approvals.set_status("pending", "Planning")
        plan = _upgrade_plan(await _describe(ref), inputs.target_version)
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run:
            return UpgradeResult(
                replication_group=ref.replication_group, dry_run=True, upgraded=False, plan=plan
            )

        approved = await approvals.wait()
        current = _upgrade_plan(await _describe(ref), inputs.target_version)
        ensure_unchanged(plan, current)
        ensure_unblocked(current)
        approvals.irreversible(f"Switching {ref.replication_group} to Valkey")
        after = await workflow.execute_activity(
            change_engine,
            ChangeEngine(**ref.model_dump(), engine="valkey", engine_version=inputs.target_version),
            **QUICK,
        )
        return UpgradeResult(
            replication_group=ref.replication_group,
            dry_run=False,
            upgraded=after.engine == "valkey",
            after=after,
            plan=plan,
            approved_by=[record.approver.subject for record in approved],
        )


def _delete_plan(group: Group, snapshot_name: str) -> DeleteCachePlan:
    plan = DeleteCachePlan(group=group, final_snapshot_name=snapshot_name)
    name = group.ref.replication_group
    if group.status not in {"available", ""}:
        plan.blockers.append(f"{name} is {group.status}; wait until it is available")
    if snapshot_name:
        plan.actions.append(f"Take a final snapshot {snapshot_name}")
    plan.actions.append(
        f"Delete {name} ({group.engine}, {len(group.members)} nodes, {group.node_type})"
    )
    plan.warnings.append("Deleting a replication group cannot be undone")
    if not snapshot_name:
        plan.warnings.append("No final snapshot: the cached data will be gone for good")
    return plan


@workflow.defn(name="DeleteElastiCache")
class DeleteElastiCache:
    """Delete an ElastiCache replication group, after a final snapshot unless told otherwise."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> DeleteCacheResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(DeleteCacheInputs)
        ref = _ref(inputs)
        snapshot_name = (
            f"{ref.replication_group}-final-{workflow.now():%Y%m%d-%H%M}"
            if inputs.final_snapshot
            else ""
        )
        approvals.set_status("pending", "Planning")
        plan = _delete_plan(await _describe(ref), snapshot_name)
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run:
            return DeleteCacheResult(
                replication_group=ref.replication_group, dry_run=True, deleted=False, plan=plan
            )

        approved = await approvals.wait()
        current = _delete_plan(await _describe(ref), snapshot_name)
        ensure_unchanged(plan, current)
        ensure_unblocked(current)
        if snapshot_name:
            approvals.set_status("running", f"Taking the final snapshot {snapshot_name}")
            await workflow.execute_activity(
                snapshot_group, Snapshot(**ref.model_dump(), snapshot_name=snapshot_name), **LONG
            )
        approvals.irreversible(f"Deleting {ref.replication_group}")
        status = await workflow.execute_activity(delete_group, ref, **QUICK)
        return DeleteCacheResult(
            replication_group=ref.replication_group,
            dry_run=False,
            deleted=True,
            status=status,
            final_snapshot_name=snapshot_name,
            plan=plan,
            approved_by=[record.approver.subject for record in approved],
        )
