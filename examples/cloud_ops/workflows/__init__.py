"""cloud-ops' published workflows, one module per AWS service."""

from __future__ import annotations

from examples.cloud_ops.workflows.dynamodb import DeleteDynamoDBTable
from examples.cloud_ops.workflows.elasticache import DeleteElastiCache, UpgradeRedisToValkey
from examples.cloud_ops.workflows.rds import (
    CloneRDSCluster,
    DeleteOldRDSSnapshots,
    DeleteRDS,
    EnableRDSPerformanceInsights,
    ResizeRDS,
)
from examples.cloud_ops.workflows.reboot import RebootRDSInstance

WORKFLOWS: tuple[type, ...] = (
    DeleteDynamoDBTable,
    ResizeRDS,
    DeleteRDS,
    EnableRDSPerformanceInsights,
    CloneRDSCluster,
    DeleteOldRDSSnapshots,
    UpgradeRedisToValkey,
    DeleteElastiCache,
    RebootRDSInstance,
)
