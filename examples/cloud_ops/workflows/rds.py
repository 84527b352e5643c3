"""RDS and Aurora: resize, delete, Performance Insights, clone for testing, old snapshots."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from examples.cloud_ops.activities.rds import (
        create_clone,
        delete_database,
        delete_snapshots,
        describe_database,
        enable_performance_insights,
        find_old_snapshots,
        modify_instance_class,
        plan_clone,
    )
    from examples.cloud_ops.models.rds import (
        CloneInputs,
        CloneResult,
        CreateClone,
        Database,
        DatabaseRef,
        DeleteDatabase,
        DeleteDatabaseInputs,
        DeleteDatabasePlan,
        DeleteDatabaseResult,
        DeleteSnapshots,
        EnableInsights,
        FindSnapshots,
        ModifyClass,
        PerformanceInsightsInputs,
        PerformanceInsightsPlan,
        PerformanceInsightsResult,
        PlanClone,
        ResizeInputs,
        ResizePlan,
        ResizeResult,
        SnapshotCleanupInputs,
        SnapshotCleanupResult,
    )
    from examples.common.activity_options import LONG, QUICK
    from examples.common.plans import ensure_unblocked, ensure_unchanged
    from foyer.publish import ApprovalRecord, Approvals, WorkflowRequest

DATABASE_NOT_FOUND = "DatabaseNotFound"


def _approvers(records: list[ApprovalRecord]) -> list[str]:
    return [record.approver.subject for record in records]


async def _describe(ref: DatabaseRef) -> Database:
    database: Database = await workflow.execute_activity(describe_database, ref, **QUICK)
    if not database.exists:
        raise ApplicationError(
            f"No RDS {ref.kind} named {ref.identifier} in {ref.aws_account} {ref.region}",
            type=DATABASE_NOT_FOUND,
            non_retryable=True,
        )
    return database


def _ref(inputs: DatabaseRef) -> DatabaseRef:
    return DatabaseRef(
        aws_account=inputs.aws_account,
        region=inputs.region,
        kind=inputs.kind,
        identifier=inputs.identifier,
    )


# --- resize ---------------------------------------------------------------------------------


def _resize_plan(database: Database, inputs: ResizeInputs) -> ResizePlan:
    plan = ResizePlan(
        database=database,
        target_class=inputs.instance_class,
        classes={m.identifier: m.instance_class for m in database.members},
    )
    # Readers first, so the writer changes (and fails over) only once the rest are done.
    for member in sorted(database.members, key=lambda m: (m.writer, m.identifier)):
        if member.instance_class == inputs.instance_class:
            continue
        plan.to_resize.append(member.identifier)
        role = " (writer)" if member.writer and database.ref.kind == "cluster" else ""
        plan.actions.append(
            f"Change {member.identifier}{role} "
            f"from {member.instance_class} to {inputs.instance_class}"
        )
    when = "now" if inputs.apply_immediately else "in the next maintenance window"
    if plan.to_resize:
        plan.warnings.append(f"Each instance restarts {when}: expect a short outage per instance")
    return plan


@workflow.defn(name="ResizeRDS")
class ResizeRDS:
    """Change the instance class of an instance, or of every instance of an Aurora cluster."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> ResizeResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(ResizeInputs)
        ref = _ref(inputs)
        approvals.set_status("pending", "Planning")
        plan = _resize_plan(await _describe(ref), inputs)
        approvals.publish_plan(plan)
        if inputs.dry_run or not plan.to_resize:
            return ResizeResult(identifier=ref.identifier, dry_run=inputs.dry_run, plan=plan)

        approved = await approvals.wait()
        ensure_unchanged(plan, _resize_plan(await _describe(ref), inputs))
        resized = []
        for identifier in plan.to_resize:
            approvals.set_status("running", f"Resizing {identifier} to {inputs.instance_class}")
            change = ModifyClass(
                aws_account=ref.aws_account,
                region=ref.region,
                identifier=identifier,
                instance_class=inputs.instance_class,
                apply_immediately=inputs.apply_immediately,
            )
            resized.append(await workflow.execute_activity(modify_instance_class, change, **QUICK))
        return ResizeResult(
            identifier=ref.identifier,
            dry_run=False,
            resized=resized,
            plan=plan,
            approved_by=_approvers(approved),
        )


# --- delete ---------------------------------------------------------------------------------


def _delete_plan(
    database: Database, inputs: DeleteDatabaseInputs, snapshot_id: str
) -> DeleteDatabasePlan:
    plan = DeleteDatabasePlan(database=database, final_snapshot_id=snapshot_id)
    name = f"{database.ref.kind} {database.ref.identifier}"
    if database.deletion_protection:
        plan.blockers.append(
            f"{name} has deletion protection on; turn it off first if it really should go"
        )
    if database.cluster:
        plan.blockers.append(
            f"{name} belongs to cluster {database.cluster}; delete the cluster instead"
        )
    if database.ref.kind == "cluster":
        plan.actions += [f"Delete instance {m.identifier}" for m in database.members]
    plan.actions.append(
        f"Delete {name} ({database.engine} {database.engine_version})"
        + (
            f", keeping a final snapshot {snapshot_id}"
            if snapshot_id
            else ", with no final snapshot"
        )
    )
    plan.warnings.append("Deleting a database cannot be undone")
    if not snapshot_id:
        plan.warnings.append("No final snapshot: the data will be gone for good")
    return plan


@workflow.defn(name="DeleteRDS")
class DeleteRDS:
    """Delete an RDS instance or an Aurora cluster (its instances first), with a final snapshot."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> DeleteDatabaseResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(DeleteDatabaseInputs)
        ref = _ref(inputs)
        snapshot_id = (
            f"{ref.identifier}-final-{workflow.now():%Y%m%d-%H%M}" if inputs.final_snapshot else ""
        )
        approvals.set_status("pending", "Planning")
        plan = _delete_plan(await _describe(ref), inputs, snapshot_id)
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run:
            return DeleteDatabaseResult(
                identifier=ref.identifier, kind=ref.kind, dry_run=True, deleted=False, plan=plan
            )

        approved = await approvals.wait()
        current = _delete_plan(await _describe(ref), inputs, snapshot_id)
        ensure_unchanged(plan, current)
        ensure_unblocked(current)
        approvals.irreversible(f"Deleting {ref.kind} {ref.identifier}")
        order = DeleteDatabase(
            **ref.model_dump(),
            members=current.member_ids if ref.kind == "cluster" else [],
            final_snapshot_id=snapshot_id,
        )
        await workflow.execute_activity(delete_database, order, **LONG)
        return DeleteDatabaseResult(
            identifier=ref.identifier,
            kind=ref.kind,
            dry_run=False,
            deleted=True,
            final_snapshot_id=snapshot_id,
            plan=plan,
            approved_by=_approvers(approved),
        )


# --- Performance Insights -----------------------------------------------------------------------


def _insights_plan(database: Database, retention_days: int) -> PerformanceInsightsPlan:
    plan = PerformanceInsightsPlan(database=database, retention_days=retention_days)
    for member in database.members:
        if (
            member.performance_insights
            and member.performance_insights_retention_days == retention_days
        ):
            continue
        plan.to_enable.append(member.identifier)
        plan.actions.append(
            f"Enable Performance Insights on {member.identifier}, keeping {retention_days} days"
        )
    if retention_days > 7:
        plan.warnings.append("Retention beyond 7 days is billed per instance")
    return plan


@workflow.defn(name="EnableRDSPerformanceInsights")
class EnableRDSPerformanceInsights:
    """Turn Performance Insights on for an instance or every instance of a cluster."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> PerformanceInsightsResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(PerformanceInsightsInputs)
        ref = _ref(inputs)
        approvals.set_status("pending", "Planning")
        plan = _insights_plan(await _describe(ref), inputs.retention_days)
        approvals.publish_plan(plan)
        if inputs.dry_run or not plan.to_enable:
            return PerformanceInsightsResult(
                identifier=ref.identifier, dry_run=inputs.dry_run, plan=plan
            )

        approved = await approvals.wait()
        ensure_unchanged(plan, _insights_plan(await _describe(ref), inputs.retention_days))
        enabled = []
        for identifier in plan.to_enable:
            approvals.set_status("running", f"Enabling Performance Insights on {identifier}")
            change = EnableInsights(
                aws_account=ref.aws_account,
                region=ref.region,
                identifier=identifier,
                retention_days=inputs.retention_days,
            )
            enabled.append(
                await workflow.execute_activity(enable_performance_insights, change, **QUICK)
            )
        return PerformanceInsightsResult(
            identifier=ref.identifier,
            dry_run=False,
            enabled=enabled,
            plan=plan,
            approved_by=_approvers(approved),
        )


# --- clone --------------------------------------------------------------------------------


@workflow.defn(name="CloneRDSCluster")
class CloneRDSCluster:
    """Clone an Aurora cluster (copy-on-write) or restore its latest snapshot, for testing."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> CloneResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(CloneInputs)
        order = PlanClone(
            aws_account=inputs.aws_account,
            region=inputs.region,
            source_cluster=inputs.source_cluster,
            clone_name=inputs.clone_name,
            method=inputs.method,
        )
        approvals.set_status("pending", "Planning")
        plan = await workflow.execute_activity(plan_clone, order, **QUICK)
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run:
            return CloneResult(source_cluster=inputs.source_cluster, dry_run=True, plan=plan)

        approved = await approvals.wait()
        current = await workflow.execute_activity(plan_clone, order, **QUICK)
        ensure_unchanged(plan, current)
        ensure_unblocked(current)
        approvals.set_status("running", f"Creating {inputs.clone_name}")
        clone = await workflow.execute_activity(
            create_clone,
            CreateClone(
                aws_account=inputs.aws_account,
                region=inputs.region,
                source_cluster=inputs.source_cluster,
                clone_name=inputs.clone_name,
                method=inputs.method,
                snapshot_id=plan.snapshot_id,
                engine=plan.source.engine,
                instance_class=inputs.instance_class,
                tags={
                    "cloned-from": inputs.source_cluster,
                    "requested-by": request.requester.subject,
                    "foyer-run": request.run_id,
                    "purpose": "testing",
                },
            ),
            **LONG,
        )
        return CloneResult(
            source_cluster=inputs.source_cluster,
            dry_run=False,
            clone=clone,
            plan=plan,
            approved_by=_approvers(approved),
        )


# --- old snapshots ---------------------------------------------------------------------------


@workflow.defn(name="DeleteOldRDSSnapshots")
class DeleteOldRDSSnapshots:
    """Delete manual RDS and Aurora snapshots older than a cutoff, sparing those tagged to keep."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> SnapshotCleanupResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(SnapshotCleanupInputs)
        query = FindSnapshots(
            aws_account=inputs.aws_account,
            region=inputs.region,
            older_than_days=inputs.older_than_days,
            keep_tag=inputs.keep_tag,
            max_deletions=inputs.max_deletions,
            now=workflow.now(),
        )
        approvals.set_status("pending", "Finding old snapshots")
        plan = await workflow.execute_activity(find_old_snapshots, query, **QUICK)
        approvals.publish_plan(plan)
        if inputs.dry_run or not plan.to_delete:
            return SnapshotCleanupResult(dry_run=inputs.dry_run, plan=plan)

        approved = await approvals.wait()
        # Someone may have tagged a snapshot to keep, or deleted it, during the wait:
        # act only on what is still old, still there and still not kept.
        current = await workflow.execute_activity(find_old_snapshots, query, **QUICK)
        still = {s.identifier for s in current.candidates}
        to_delete = [s for s in plan.to_delete if s.identifier in still]
        skipped = [
            f"{s.identifier}: tagged {inputs.keep_tag} or deleted since the plan"
            for s in plan.to_delete
            if s.identifier not in still
        ]
        approvals.irreversible(f"Deleting {len(to_delete)} snapshots")
        done = await workflow.execute_activity(
            delete_snapshots,
            DeleteSnapshots(
                aws_account=inputs.aws_account, region=inputs.region, snapshots=to_delete
            ),
            **LONG,
        )
        skipped += [f"{identifier}: already deleted" for identifier in done.gone]
        return SnapshotCleanupResult(
            dry_run=False,
            deleted=done.deleted,
            skipped=skipped,
            plan=plan,
            approved_by=_approvers(approved),
        )
