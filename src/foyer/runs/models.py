"""What the run service returns: a run as its requester and approvers see it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from foyer.contracts import RunError, RunStatus


class Approval(BaseModel):
    """One decision, as the owning team recorded it."""

    approver: str
    name: str = ""
    approve: bool
    comment: str = ""
    at: datetime | None = None


class RunLinks(BaseModel):
    self: str
    temporal_ui: str
    team_temporal_ui: str


class Run(BaseModel):
    """A run: its request, where it is, who decided, and how it ended."""

    id: str
    workflow: str
    title: str = ""
    environment: str
    status: RunStatus
    message: str = ""
    requester: str
    requester_name: str = ""
    client: str = ""
    inputs: dict[str, Any]
    created_at: datetime | None = None
    closed_at: datetime | None = None
    approvals: list[Approval] = Field(default_factory=list)
    plan: Any = None
    result: Any = None
    error: RunError | None = None
    cancelled_by: str | None = None
    irreversible: str | None = None
    """The irreversible step the run has begun; from then on it cannot be cancelled."""
    links: RunLinks


class RunListItem(BaseModel):
    """A run in a list: what it is, where it is, who asked, when."""

    id: str
    workflow: str
    title: str = ""
    environment: str
    status: RunStatus
    requester: str
    created_at: datetime
    closed_at: datetime | None = None


class InboxItem(RunListItem):
    """A run awaiting the caller's decision, with what it will do."""

    requester_name: str = ""
    namespace: str
    message: str = ""
    inputs: dict[str, Any]
    plan: Any = None
