"""What crosses a process boundary: payload models, service and operation names.

This package imports nothing else from foyer, so the gateway, the router and the
owning teams' workers can all depend on it without depending on each other.
"""

from foyer.contracts.models import (
    ApprovalPolicy,
    ApprovalRecord,
    CancelCommand,
    Cancellation,
    CancelRequest,
    Decision,
    DecisionCommand,
    DecisionRequest,
    DecisionResult,
    Identity,
    Phase,
    RouterRequest,
    RunError,
    RunOutcome,
    RunRecord,
    RunStatus,
    RunSummary,
    StartRequest,
    TeamStatus,
    WorkflowRequest,
)

__all__ = [
    "ApprovalPolicy",
    "ApprovalRecord",
    "CancelCommand",
    "CancelRequest",
    "Cancellation",
    "Decision",
    "DecisionCommand",
    "DecisionRequest",
    "DecisionResult",
    "Identity",
    "Phase",
    "RouterRequest",
    "RunError",
    "RunOutcome",
    "RunRecord",
    "RunStatus",
    "RunSummary",
    "StartRequest",
    "TeamStatus",
    "WorkflowRequest",
]
