"""RDS activities: describe, resize, Performance Insights, delete, clone, snapshot clean-up."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from botocore.exceptions import ClientError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from examples.cloud_ops.aws import client, error_code
from examples.cloud_ops.models.rds import (
    Clone,
    ClonePlan,
    CreateClone,
    Database,
    DatabaseRef,
    DeleteDatabase,
    DeleteSnapshots,
    EnableInsights,
    FindSnapshots,
    Member,
    ModifyClass,
    PlanClone,
    Reboot,
    SnapshotDeletions,
    SnapshotPlan,
    SnapshotRef,
)

_GONE = {"DBInstanceNotFound", "DBInstanceNotFoundFault", "DBClusterNotFoundFault"}
_SNAPSHOT_GONE = {"DBSnapshotNotFound", "DBSnapshotNotFoundFault", "DBClusterSnapshotNotFoundFault"}
_WAIT = {"Delay": 5, "MaxAttempts": 120}


def _rds(where: Any) -> Any:
    return client("rds", where.aws_account, where.region)


def _member(raw: dict[str, Any], writer: bool = True) -> Member:
    return Member(
        identifier=raw["DBInstanceIdentifier"],
        instance_class=raw.get("DBInstanceClass", ""),
        writer=writer,
        status=raw.get("DBInstanceStatus", ""),
        performance_insights=raw.get("PerformanceInsightsEnabled"),
        performance_insights_retention_days=raw.get("PerformanceInsightsRetentionPeriod"),
    )


def _instance(rds: Any, identifier: str) -> dict[str, Any] | None:
    try:
        return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    except ClientError as err:
        if error_code(err) in _GONE:
            return None
        raise


def _cluster(rds: Any, identifier: str) -> dict[str, Any] | None:
    try:
        return rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]
    except ClientError as err:
        if error_code(err) in _GONE:
            return None
        raise


@activity.defn
def describe_database(ref: DatabaseRef) -> Database:
    """What RDS says about an instance or a cluster (and each of its instances) now."""
    rds = _rds(ref)
    if ref.kind == "instance":
        raw = _instance(rds, ref.identifier)
        if raw is None:
            return Database(ref=ref, exists=False)
        return Database(
            ref=ref,
            exists=True,
            arn=raw.get("DBInstanceArn", ""),
            engine=raw.get("Engine", ""),
            engine_version=raw.get("EngineVersion", ""),
            status=raw.get("DBInstanceStatus", ""),
            deletion_protection=bool(raw.get("DeletionProtection")),
            cluster=raw.get("DBClusterIdentifier") or "",
            members=[_member(raw)],
        )
    raw = _cluster(rds, ref.identifier)
    if raw is None:
        return Database(ref=ref, exists=False)
    members = []
    for member in raw.get("DBClusterMembers", []):
        instance = _instance(rds, member["DBInstanceIdentifier"])
        if instance is not None:
            members.append(_member(instance, writer=bool(member.get("IsClusterWriter"))))
    return Database(
        ref=ref,
        exists=True,
        arn=raw.get("DBClusterArn", ""),
        engine=raw.get("Engine", ""),
        engine_version=raw.get("EngineVersion", ""),
        status=raw.get("Status", ""),
        deletion_protection=bool(raw.get("DeletionProtection")),
        members=sorted(members, key=lambda m: (m.writer, m.identifier)),
    )


@activity.defn
def modify_instance_class(change: ModifyClass) -> Member:
    """Change one instance's class; RDS applies it now or in the maintenance window."""
    rds = _rds(change)
    raw = rds.modify_db_instance(
        DBInstanceIdentifier=change.identifier,
        DBInstanceClass=change.instance_class,
        ApplyImmediately=change.apply_immediately,
    )["DBInstance"]
    return _member(raw)


@activity.defn
def enable_performance_insights(change: EnableInsights) -> Member:
    """Turn Performance Insights on for one instance, with the given retention."""
    rds = _rds(change)
    rds.modify_db_instance(
        DBInstanceIdentifier=change.identifier,
        EnablePerformanceInsights=True,
        PerformanceInsightsRetentionPeriod=change.retention_days,
        ApplyImmediately=True,
    )
    raw = _instance(rds, change.identifier)
    if raw is None:
        raise RuntimeError(f"{change.identifier} disappeared while enabling Performance Insights")
    return _member(raw)


def _delete_instance(rds: Any, identifier: str, final_snapshot_id: str = "") -> None:
    options: dict[str, Any] = (
        {"FinalDBSnapshotIdentifier": final_snapshot_id}
        if final_snapshot_id
        else {"SkipFinalSnapshot": True}
    )
    try:
        rds.delete_db_instance(DBInstanceIdentifier=identifier, **options)
    except ClientError as err:
        # Gone or already being deleted: a retry of a delete that went through.
        if error_code(err) not in _GONE | {"InvalidDBInstanceState", "InvalidDBInstanceStateFault"}:
            raise
    activity.heartbeat(identifier)
    rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier=identifier, WaiterConfig=_WAIT)


@activity.defn
def delete_database(order: DeleteDatabase) -> None:
    """Delete an instance, or a cluster's instances then the cluster, with any final snapshot."""
    rds = _rds(order)
    if order.kind == "instance":
        _delete_instance(rds, order.identifier, order.final_snapshot_id)
        return
    for member in order.members:
        _delete_instance(rds, member)
    options: dict[str, Any] = (
        {"FinalDBSnapshotIdentifier": order.final_snapshot_id}
        if order.final_snapshot_id
        else {"SkipFinalSnapshot": True}
    )
    try:
        rds.delete_db_cluster(DBClusterIdentifier=order.identifier, **options)
    except ClientError as err:
        if error_code(err) not in _GONE | {"InvalidDBClusterStateFault"}:
            raise
    while _cluster(rds, order.identifier) is not None:
        activity.heartbeat(order.identifier)
        activity.wait_for_cancelled_sync(5)


def _latest_cluster_snapshot(rds: Any, cluster: str) -> dict[str, Any] | None:
    snapshots = [
        s
        for page in rds.get_paginator("describe_db_cluster_snapshots").paginate(
            DBClusterIdentifier=cluster
        )
        for s in page["DBClusterSnapshots"]
        if s.get("Status") == "available"
    ]
    return max(snapshots, key=lambda s: s["SnapshotCreateTime"], default=None)


@activity.defn
def plan_clone(order: PlanClone) -> ClonePlan:
    """Check the source, the clone's name and, for a restore, the snapshot to use."""
    rds = _rds(order)
    source = describe_database(
        DatabaseRef(
            aws_account=order.aws_account,
            region=order.region,
            kind="cluster",
            identifier=order.source_cluster,
        )
    )
    plan = ClonePlan(source=source, clone_name=order.clone_name, method=order.method)
    if not source.exists:
        plan.blockers.append(f"Cluster {order.source_cluster} does not exist in {order.region}")
        return plan
    plan.clone_name_taken = _cluster(rds, order.clone_name) is not None
    if plan.clone_name_taken:
        plan.blockers.append(
            f"A cluster named {order.clone_name} already exists; pick another name"
        )
    if order.method == "latest-snapshot":
        snapshot = _latest_cluster_snapshot(rds, order.source_cluster)
        if snapshot is None:
            plan.blockers.append(f"Cluster {order.source_cluster} has no available snapshot")
        else:
            plan.snapshot_id = snapshot["DBClusterSnapshotIdentifier"]
            plan.snapshot_time = snapshot["SnapshotCreateTime"]
            plan.actions.append(
                f"Restore snapshot {plan.snapshot_id} of {order.source_cluster} "
                f"as cluster {order.clone_name}"
            )
    else:
        plan.actions.append(
            f"Clone {order.source_cluster} as {order.clone_name} (copy-on-write, latest data)"
        )
    plan.actions.append(f"Add a writer instance {order.clone_name}-instance-1")
    plan.warnings.append(
        f"The clone holds a copy of {order.source_cluster}'s data and costs money until deleted"
    )
    return plan


@activity.defn
def create_clone(order: CreateClone) -> Clone:
    """Create the clone cluster and its writer; safe to retry."""
    rds = _rds(order)
    tags = [{"Key": key, "Value": value} for key, value in sorted(order.tags.items())]
    if _cluster(rds, order.clone_name) is None:
        if order.method == "latest-snapshot":
            rds.restore_db_cluster_from_snapshot(
                DBClusterIdentifier=order.clone_name,
                SnapshotIdentifier=order.snapshot_id,
                Engine=order.engine,
                Tags=tags,
            )
        else:
            rds.restore_db_cluster_to_point_in_time(
                DBClusterIdentifier=order.clone_name,
                SourceDBClusterIdentifier=order.source_cluster,
                RestoreType="copy-on-write",
                UseLatestRestorableTime=True,
                Tags=tags,
            )
    writer = f"{order.clone_name}-instance-1"
    if _instance(rds, writer) is None:
        rds.create_db_instance(
            DBInstanceIdentifier=writer,
            DBClusterIdentifier=order.clone_name,
            DBInstanceClass=order.instance_class,
            Engine=order.engine,
            Tags=tags,
        )
    activity.heartbeat(writer)
    rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier=writer, WaiterConfig=_WAIT)
    cluster = _cluster(rds, order.clone_name) or {}
    return Clone(
        cluster=order.clone_name,
        writer=writer,
        status=cluster.get("Status", ""),
        endpoint=cluster.get("Endpoint", ""),
    )


def _manual_snapshots(rds: Any) -> list[tuple[dict[str, Any], bool]]:
    found: list[tuple[dict[str, Any], bool]] = []
    for operation, key, cluster in (
        ("describe_db_snapshots", "DBSnapshots", False),
        ("describe_db_cluster_snapshots", "DBClusterSnapshots", True),
    ):
        for page in rds.get_paginator(operation).paginate(SnapshotType="manual"):
            found += [(raw, cluster) for raw in page[key]]
    return found


@activity.defn
def find_old_snapshots(query: FindSnapshots) -> SnapshotPlan:
    """Manual snapshots older than the cutoff, oldest first, minus those tagged to keep."""
    rds = _rds(query)
    cutoff = query.now - timedelta(days=query.older_than_days)
    plan = SnapshotPlan(cutoff=cutoff)
    for raw, cluster in _manual_snapshots(rds):
        created = raw["SnapshotCreateTime"].astimezone(UTC)
        if created >= cutoff:
            continue
        tags = {tag["Key"]: tag["Value"] for tag in raw.get("TagList", [])}
        if tags.get(query.keep_tag, "").lower() in {"true", "yes", "1"}:
            plan.kept += 1
            continue
        identifier = raw["DBClusterSnapshotIdentifier" if cluster else "DBSnapshotIdentifier"]
        source = raw["DBClusterIdentifier" if cluster else "DBInstanceIdentifier"]
        plan.candidates.append(
            SnapshotRef(
                identifier=identifier,
                cluster=cluster,
                source=source,
                created=created,
                age_days=(query.now - created).days,
            )
        )
    plan.candidates.sort(key=lambda s: (s.created, s.identifier))
    plan.to_delete = plan.candidates[: query.max_deletions]
    plan.actions = [
        f"Delete {'cluster ' if s.cluster else ''}snapshot {s.identifier} of {s.source} "
        f"({s.age_days} days old)"
        for s in plan.to_delete
    ]
    if len(plan.candidates) > len(plan.to_delete):
        plan.warnings.append(
            f"{len(plan.candidates) - len(plan.to_delete)} more old snapshots are left for a "
            f"later run (at most {query.max_deletions} per run)"
        )
    if plan.kept:
        plan.warnings.append(f"{plan.kept} old snapshots are kept: tagged {query.keep_tag}=true")
    return plan


@activity.defn
def delete_snapshots(order: DeleteSnapshots) -> SnapshotDeletions:
    """Delete each snapshot, resuming after the last one a previous attempt finished."""
    rds = _rds(order)
    info = activity.info()
    done = (
        SnapshotDeletions.model_validate(info.heartbeat_details[0])
        if info.heartbeat_details
        else SnapshotDeletions()
    )
    finished = set(done.deleted) | set(done.gone)
    for snapshot in order.snapshots:
        if snapshot.identifier in finished:
            continue
        try:
            if snapshot.cluster:
                rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=snapshot.identifier)
            else:
                rds.delete_db_snapshot(DBSnapshotIdentifier=snapshot.identifier)
            done.deleted.append(snapshot.identifier)
        except ClientError as err:
            if error_code(err) not in _SNAPSHOT_GONE:
                raise
            done.gone.append(snapshot.identifier)
        activity.heartbeat(done.model_dump(mode="json"))
    return done


@activity.defn
def reboot_instance(order: Reboot) -> str:
    """Reboot the instance; returns its status right after."""
    try:
        raw = _rds(order).reboot_db_instance(
            DBInstanceIdentifier=order.identifier, ForceFailover=order.force_failover
        )["DBInstance"]
    except ClientError as err:
        if error_code(err) in _GONE:
            raise ApplicationError(
                f"{order.identifier} no longer exists", type="DatabaseNotFound", non_retryable=True
            ) from None
        raise
    return str(raw.get("DBInstanceStatus", ""))
