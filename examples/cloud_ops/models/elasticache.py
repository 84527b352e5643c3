"""ElastiCache replication groups: upgrade Redis OSS to Valkey, delete."""

from __future__ import annotations

from pydantic import BaseModel, Field

from examples.cloud_ops.models.common import Request, Where
from examples.common.plans import Plan


class GroupRef(Where):
    replication_group: str


class Group(BaseModel):
    """What ElastiCache says about a replication group right now."""

    ref: GroupRef
    exists: bool
    arn: str = ""
    engine: str = ""
    engine_version: str = ""
    """Empty when ElastiCache does not report it."""
    status: str = ""
    node_type: str = ""
    members: list[str] = Field(default_factory=list)


class UpgradeInputs(Request):
    """The form of ``upgrade-redis-to-valkey``."""

    replication_group: str
    target_version: str = "8.0"


class UpgradePlan(Plan):
    FACTS = ("exists", "arn", "engine")

    group: Group
    target_version: str

    @property
    def exists(self) -> bool:
        return self.group.exists

    @property
    def arn(self) -> str:
        return self.group.arn

    @property
    def engine(self) -> str:
        return self.group.engine


class ChangeEngine(GroupRef):
    engine: str
    engine_version: str


class UpgradeResult(BaseModel):
    replication_group: str
    dry_run: bool
    upgraded: bool
    after: Group | None = None
    plan: UpgradePlan
    approved_by: list[str] = Field(default_factory=list)


class DeleteCacheInputs(Request):
    """The form of ``delete-elasticache``."""

    replication_group: str
    final_snapshot: bool = True


class DeleteCachePlan(Plan):
    FACTS = ("exists", "arn", "status")

    group: Group
    final_snapshot_name: str = ""

    @property
    def exists(self) -> bool:
        return self.group.exists

    @property
    def arn(self) -> str:
        return self.group.arn

    @property
    def status(self) -> str:
        return self.group.status


class Snapshot(GroupRef):
    snapshot_name: str


class DeleteCacheResult(BaseModel):
    replication_group: str
    dry_run: bool
    deleted: bool
    status: str = ""
    """The group's status once ElastiCache accepted the deletion (``deleting``, or gone)."""
    final_snapshot_name: str = ""
    plan: DeleteCachePlan
    approved_by: list[str] = Field(default_factory=list)
