"""cloud-ops' activities: boto3 calls into the team's AWS accounts, one module per service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from examples.cloud_ops.activities import dynamodb, elasticache, rds

ACTIVITIES: Sequence[Callable[..., Any]] = (
    dynamodb.describe_table,
    dynamodb.delete_table,
    rds.describe_database,
    rds.modify_instance_class,
    rds.enable_performance_insights,
    rds.delete_database,
    rds.plan_clone,
    rds.create_clone,
    rds.find_old_snapshots,
    rds.delete_snapshots,
    rds.reboot_instance,
    elasticache.describe_group,
    elasticache.change_engine,
    elasticache.snapshot_group,
    elasticache.delete_group,
)
