"""Inputs and outputs of cloud-ops' DynamoDB workflow and activities."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DeleteTableInputs(BaseModel):
    """The form's fields, as the catalog entry's schema defines them."""

    aws_account: str
    region: str
    table_name: str
    dry_run: bool = True
    reason: str = ""


class TableRef(BaseModel):
    region: str
    table_name: str


class TablePlan(BaseModel):
    """What deleting the table would do, for approvers to read."""

    table_name: str
    region: str
    aws_account: str = ""
    exists: bool
    status: str = ""
    item_count: int = 0
    size_bytes: int = 0
    arn: str = ""
    actions: list[str] = Field(default_factory=list)


class DeleteTableResult(BaseModel):
    table_name: str
    region: str
    dry_run: bool
    deleted: bool
    plan: TablePlan
    approved_by: list[str] = Field(default_factory=list)
