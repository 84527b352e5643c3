"""Request and public models of the HTTP API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from foyer.catalog import Entry
from foyer.contracts.models import MAX_TEXT_LENGTH
from foyer.runs import Run


class RunCreate(BaseModel):
    """Body of ``POST /api/runs``."""

    model_config = ConfigDict(extra="forbid")

    workflow: str = Field(max_length=200, description="Catalog id of the workflow to run.")
    inputs: dict[str, Any] = Field(default_factory=dict)
    environment: str | None = Field(
        default=None,
        max_length=100,
        description="Environment to run in; the entry's default when omitted.",
    )


class DecisionBody(BaseModel):
    """Body of ``POST /api/runs/{id}/approve`` and ``/reject``."""

    model_config = ConfigDict(extra="forbid")

    comment: str = Field(default="", max_length=MAX_TEXT_LENGTH)


class CancelBody(BaseModel):
    """Body of ``POST /api/runs/{id}/cancel``."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=MAX_TEXT_LENGTH)


RunPublic = Run
"""A run as callers see it (the run service's own model)."""


class ApprovalSummary(BaseModel):
    required: bool
    min_approvers: int
    allow_self_approval: bool
    timeout_seconds: int


class CatalogItem(BaseModel):
    """A catalog entry as listed."""

    id: str
    title: str
    description: str
    owners: list[str]
    tags: list[str]
    environments: list[str]
    default_environment: str
    approval: ApprovalSummary
    can_run: bool
    can_approve: bool

    @classmethod
    def of(cls, entry: Entry, groups: list[str]) -> CatalogItem:
        return cls(
            id=entry.id,
            title=entry.title,
            description=entry.description,
            owners=list(entry.owners),
            tags=list(entry.tags),
            environments=sorted(entry.environments),
            default_environment=entry.default_environment,
            approval=ApprovalSummary(
                required=entry.approval.required,
                min_approvers=entry.approval.min_approvers,
                allow_self_approval=entry.approval.allow_self_approval,
                timeout_seconds=entry.approval.timeout_seconds,
            ),
            can_run=entry.may_run(groups),
            can_approve=entry.may_approve(groups),
        )


class ExamplePublic(BaseModel):
    name: str
    description: str = ""
    environment: str | None = None
    inputs: dict[str, Any]


class CatalogEntryPublic(CatalogItem):
    """A catalog entry with everything needed to render and submit its form."""

    workflow_type: str
    run_groups: list[str]
    approve_groups: list[str]
    schema_: dict[str, Any] = Field(alias="schema", serialization_alias="schema")
    ui_schema: dict[str, Any] | None = None
    guide: str = ""
    examples: list[ExamplePublic]

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, entry: Entry, groups: list[str]) -> CatalogEntryPublic:
        item = CatalogItem.of(entry, groups)
        return cls(
            **item.model_dump(),
            workflow_type=entry.workflow_type,
            run_groups=list(entry.access.run),
            approve_groups=list(entry.access.approve),
            schema=entry.schema,
            ui_schema=entry.ui_schema,
            guide=entry.guide,
            examples=[
                ExamplePublic(
                    name=e.name,
                    description=e.description,
                    environment=e.environment,
                    inputs=e.inputs,
                )
                for e in entry.examples
            ],
        )


class CatalogList(BaseModel):
    items: list[CatalogItem]
