"""Deleting a DynamoDB table."""

from __future__ import annotations

from pydantic import BaseModel, Field

from examples.cloud_ops.models.common import Request, Where
from examples.common.plans import Plan


class DeleteTableInputs(Request):
    """The form of ``delete-dynamodb-table``."""

    table_name: str


class TableRef(Where):
    table_name: str


class TablePlan(Plan):
    """What deleting the table would do."""

    FACTS = ("exists", "arn", "status")

    table_name: str
    region: str
    aws_account: str = ""
    exists: bool
    status: str = ""
    item_count: int = 0
    size_bytes: int = 0
    arn: str = ""


class DeleteTableResult(BaseModel):
    table_name: str
    region: str
    dry_run: bool
    deleted: bool
    plan: TablePlan
    approved_by: list[str] = Field(default_factory=list)
