"""ElastiCache activities: describe, change engine, snapshot and delete replication groups."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from temporalio import activity

from examples.cloud_ops.aws import client, error_code
from examples.cloud_ops.models.elasticache import ChangeEngine, Group, GroupRef, Snapshot

_GONE = {"ReplicationGroupNotFoundFault"}
_SNAPSHOT_EXISTS = {"SnapshotAlreadyExistsFault"}
_DELETE_ACCEPTED = {"InvalidReplicationGroupState", "InvalidReplicationGroupStateFault"}


def _elasticache(ref: GroupRef) -> Any:
    return client("elasticache", ref.aws_account, ref.region)


@activity.defn
def describe_group(ref: GroupRef) -> Group:
    """What ElastiCache says about the replication group now."""
    try:
        raw = _elasticache(ref).describe_replication_groups(
            ReplicationGroupId=ref.replication_group
        )["ReplicationGroups"][0]
    except ClientError as err:
        if error_code(err) in _GONE:
            return Group(ref=ref, exists=False)
        raise
    return Group(
        ref=ref,
        exists=True,
        arn=raw.get("ARN", ""),
        engine=raw.get("Engine", ""),
        engine_version=raw.get("EngineVersion", ""),
        status=raw.get("Status", ""),
        node_type=raw.get("CacheNodeType", ""),
        members=list(raw.get("MemberClusters", [])),
    )


@activity.defn
def change_engine(change: ChangeEngine) -> Group:
    """Switch the group's engine (Redis OSS to Valkey) in place, applied now."""
    _elasticache(change).modify_replication_group(
        ReplicationGroupId=change.replication_group,
        Engine=change.engine,
        EngineVersion=change.engine_version,
        ApplyImmediately=True,
    )
    return describe_group(change)


@activity.defn
def snapshot_group(order: Snapshot) -> None:
    """Take a snapshot of the group and wait until it is available."""
    elasticache = _elasticache(order)
    try:
        elasticache.create_snapshot(
            ReplicationGroupId=order.replication_group, SnapshotName=order.snapshot_name
        )
    except ClientError as err:
        # A retry of a request that went through.
        if error_code(err) not in _SNAPSHOT_EXISTS:
            raise
    while True:
        snapshots = elasticache.describe_snapshots(SnapshotName=order.snapshot_name)["Snapshots"]
        status = snapshots[0].get("SnapshotStatus", "") if snapshots else ""
        if status == "available":
            return
        if status in {"failed", ""}:
            raise RuntimeError(f"Snapshot {order.snapshot_name} is {status or 'missing'}")
        activity.heartbeat(status)
        activity.wait_for_cancelled_sync(5)


@activity.defn
def delete_group(ref: GroupRef) -> str:
    """Ask ElastiCache to delete the group; returns its status after (``deleting`` or ``gone``).

    ElastiCache deletes asynchronously and the deletion cannot be stopped once
    accepted, so the activity returns as soon as it is.
    """
    try:
        _elasticache(ref).delete_replication_group(ReplicationGroupId=ref.replication_group)
    except ClientError as err:
        if error_code(err) not in _GONE | _DELETE_ACCEPTED:
            raise
    after = describe_group(ref)
    return after.status if after.exists else "gone"
