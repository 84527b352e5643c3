"""RDS instances and Aurora clusters: resize, delete, Performance Insights, clone, snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from examples.cloud_ops.models.common import Request, Where
from examples.common.plans import Plan

Kind = Literal["instance", "cluster"]


class DatabaseRef(Where):
    """An RDS instance or an Aurora cluster."""

    kind: Kind
    identifier: str


class Member(BaseModel):
    """One instance of a database: the instance itself, or one of a cluster's."""

    identifier: str
    instance_class: str
    writer: bool = True
    status: str = ""
    performance_insights: bool | None = None
    """As RDS reports it; ``None`` when it does not say."""
    performance_insights_retention_days: int | None = None


class Database(BaseModel):
    """What RDS says about an instance or a cluster right now."""

    ref: DatabaseRef
    exists: bool
    arn: str = ""
    engine: str = ""
    engine_version: str = ""
    status: str = ""
    deletion_protection: bool = False
    cluster: str = ""
    """For an instance: the cluster it belongs to, if any."""
    members: list[Member] = Field(default_factory=list)


# --- resize ---------------------------------------------------------------------------------


class ResizeInputs(Request, DatabaseRef):
    """The form of ``resize-rds``."""

    instance_class: str
    apply_immediately: bool = False


class ResizePlan(Plan):
    FACTS = ("exists", "arn", "classes")

    database: Database
    target_class: str
    classes: dict[str, str] = Field(default_factory=dict)
    """Each instance's class when planned."""
    to_resize: list[str] = Field(default_factory=list)
    """Instances to change, in order: readers first, the writer last."""

    @property
    def exists(self) -> bool:
        return self.database.exists

    @property
    def arn(self) -> str:
        return self.database.arn


class ModifyClass(Where):
    identifier: str
    instance_class: str
    apply_immediately: bool


class ResizeResult(BaseModel):
    identifier: str
    dry_run: bool
    resized: list[Member] = Field(default_factory=list)
    plan: ResizePlan
    approved_by: list[str] = Field(default_factory=list)


# --- delete ---------------------------------------------------------------------------------


class DeleteDatabaseInputs(Request, DatabaseRef):
    """The form of ``delete-rds``."""

    final_snapshot: bool = True


class DeleteDatabasePlan(Plan):
    FACTS = ("exists", "arn", "deletion_protection", "member_ids")

    database: Database
    final_snapshot_id: str = ""

    @property
    def exists(self) -> bool:
        return self.database.exists

    @property
    def arn(self) -> str:
        return self.database.arn

    @property
    def deletion_protection(self) -> bool:
        return self.database.deletion_protection

    @property
    def member_ids(self) -> list[str]:
        return [member.identifier for member in self.database.members]


class DeleteDatabase(DatabaseRef):
    members: list[str] = Field(default_factory=list)
    final_snapshot_id: str = ""


class DeleteDatabaseResult(BaseModel):
    identifier: str
    kind: Kind
    dry_run: bool
    deleted: bool
    final_snapshot_id: str = ""
    plan: DeleteDatabasePlan
    approved_by: list[str] = Field(default_factory=list)


# --- Performance Insights ---------------------------------------------------------------------


class PerformanceInsightsInputs(Request, DatabaseRef):
    """The form of ``enable-rds-performance-insights``."""

    retention_days: int = 7


class PerformanceInsightsPlan(Plan):
    FACTS = ("exists", "arn", "to_enable")

    database: Database
    retention_days: int
    to_enable: list[str] = Field(default_factory=list)

    @property
    def exists(self) -> bool:
        return self.database.exists

    @property
    def arn(self) -> str:
        return self.database.arn


class EnableInsights(Where):
    identifier: str
    retention_days: int


class PerformanceInsightsResult(BaseModel):
    identifier: str
    dry_run: bool
    enabled: list[Member] = Field(default_factory=list)
    plan: PerformanceInsightsPlan
    approved_by: list[str] = Field(default_factory=list)


# --- clone --------------------------------------------------------------------------------


CloneMethod = Literal["copy-on-write", "latest-snapshot"]


class CloneInputs(Request):
    """The form of ``clone-rds-cluster``."""

    source_cluster: str
    clone_name: str
    method: CloneMethod = "copy-on-write"
    instance_class: str = "db.r6g.large"


class PlanClone(Where):
    source_cluster: str
    clone_name: str
    method: CloneMethod


class ClonePlan(Plan):
    FACTS = ("source_arn", "clone_name_taken", "snapshot_id")

    source: Database
    clone_name: str
    clone_name_taken: bool = False
    method: CloneMethod
    snapshot_id: str = ""
    snapshot_time: datetime | None = None

    @property
    def source_arn(self) -> str:
        return self.source.arn


class CreateClone(Where):
    source_cluster: str
    clone_name: str
    method: CloneMethod
    snapshot_id: str = ""
    engine: str
    instance_class: str
    tags: dict[str, str] = Field(default_factory=dict)


class Clone(BaseModel):
    cluster: str
    writer: str
    status: str
    endpoint: str = ""


class CloneResult(BaseModel):
    source_cluster: str
    dry_run: bool
    clone: Clone | None = None
    plan: ClonePlan
    approved_by: list[str] = Field(default_factory=list)


# --- old snapshots ---------------------------------------------------------------------------


class SnapshotCleanupInputs(Where):
    """The form of ``delete-old-rds-snapshots``."""

    older_than_days: int = 90
    keep_tag: str = "keep"
    max_deletions: int = 50
    dry_run: bool = True
    reason: str = ""


class SnapshotRef(BaseModel):
    identifier: str
    cluster: bool
    """A cluster snapshot (Aurora) rather than an instance snapshot."""
    source: str
    created: datetime
    age_days: int


class FindSnapshots(Where):
    older_than_days: int
    keep_tag: str
    max_deletions: int
    now: datetime
    """The workflow's time, so a plan is the same on replay and its ages agree with it."""


class SnapshotPlan(Plan):
    FACTS = ()

    cutoff: datetime
    candidates: list[SnapshotRef] = Field(default_factory=list)
    """Manual snapshots older than the cutoff and not kept, oldest first."""
    to_delete: list[SnapshotRef] = Field(default_factory=list)
    """The oldest ``max_deletions`` candidates."""
    kept: int = 0
    """Old manual snapshots spared by the keep tag."""


class DeleteSnapshots(Where):
    snapshots: list[SnapshotRef]


class SnapshotDeletions(BaseModel):
    deleted: list[str] = Field(default_factory=list)
    gone: list[str] = Field(default_factory=list)
    """Already deleted by someone else."""


class SnapshotCleanupResult(BaseModel):
    dry_run: bool
    deleted: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    """Planned, but kept or gone by the time the run acted; each with why."""
    plan: SnapshotPlan
    approved_by: list[str] = Field(default_factory=list)


# --- reboot ---------------------------------------------------------------------------------


class RebootInputs(Request):
    """The form of ``reboot-rds-instance``."""

    identifier: str
    force_failover: bool = False


class RebootPlan(Plan):
    database: Database


class Reboot(Where):
    identifier: str
    force_failover: bool


class RebootResult(BaseModel):
    identifier: str
    dry_run: bool
    status: str = ""
    """The instance's status right after the reboot was asked for."""
    plan: RebootPlan
