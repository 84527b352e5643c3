"""Inputs, plans and results of platform's workflows and activities."""

from __future__ import annotations

from pydantic import BaseModel, Field

from examples.common.plans import Plan


class CreateNamespaceInputs(BaseModel):
    """The form of ``create-temporal-namespace``."""

    namespace: str
    owner_team: str
    retention_days: int = 7
    description: str = ""
    dry_run: bool = True


class NamespaceRef(BaseModel):
    namespace: str


class NamespaceState(BaseModel):
    namespace: str
    exists: bool
    id: str = ""
    owner_team: str = ""
    created_by_run: str = ""
    retention_days: int | None = None


class NamespacePlan(Plan):
    FACTS = ("exists",)

    current: NamespaceState
    retention_days: int

    @property
    def exists(self) -> bool:
        return self.current.exists


class RegisterNamespace(BaseModel):
    namespace: str
    owner_team: str
    retention_days: int
    description: str
    run_id: str
    """Recorded on the namespace, so a retried registration recognises its own work."""


class CreateNamespaceResult(BaseModel):
    namespace: str
    dry_run: bool
    created: bool
    state: NamespaceState | None = None
    plan: NamespacePlan
    approved_by: list[str] = Field(default_factory=list)


class EndpointInputs(BaseModel):
    """The form of ``set-up-nexus-endpoint``."""

    endpoint: str
    target_namespace: str
    target_task_queue: str = ""
    """Empty: Foyer's handler queue of the target namespace."""
    description: str = ""
    replace_existing: bool = False
    dry_run: bool = True


class EndpointRef(BaseModel):
    endpoint: str


class EndpointState(BaseModel):
    endpoint: str
    exists: bool
    id: str = ""
    version: int = 0
    namespace: str = ""
    task_queue: str = ""


class PlanEndpoint(BaseModel):
    endpoint: str
    target_namespace: str
    target_task_queue: str
    replace_existing: bool


class EndpointPlan(Plan):
    FACTS = ("endpoint_state", "namespace_exists")

    current: EndpointState
    target_namespace: str
    target_task_queue: str
    namespace_exists: bool
    change: str = "none"
    """``create``, ``retarget`` or ``none``."""

    @property
    def endpoint_state(self) -> tuple[bool, str, str]:
        return (self.current.exists, self.current.namespace, self.current.task_queue)


class ApplyEndpoint(BaseModel):
    endpoint: str
    target_namespace: str
    target_task_queue: str
    description: str
    expected: EndpointState
    """What the plan saw; a retarget applies only to that version."""


class EndpointResult(BaseModel):
    endpoint: str
    dry_run: bool
    change: str
    state: EndpointState | None = None
    plan: EndpointPlan
    approved_by: list[str] = Field(default_factory=list)
