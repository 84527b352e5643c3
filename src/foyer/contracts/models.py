"""Payload models exchanged between the gateway, the router and team workers.

Models only grow by adding fields with defaults, so old histories keep
deserialising. Identities inside these payloads are informational: the team
side trusts only what it reads from a verified ``token``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

RunStatus = Literal[
    "pending", "awaiting_approval", "running", "succeeded", "failed", "rejected", "cancelled"
]
"""Where a run is, as a requester sees it."""

Phase = Literal["pending", "awaiting_approval", "running"]
"""Where a live team workflow is, as reported by its status query."""

ModelT = TypeVar("ModelT", bound=BaseModel)

FINAL_STATUSES: frozenset[str] = frozenset({"succeeded", "failed", "rejected", "cancelled"})

MAX_TEXT_LENGTH = 2000
"""Longest comment or reason, in characters; every layer refuses longer ones, so
an insider cannot grow a workflow's history with them."""

MAX_REFUSED_DECISIONS = 20
"""Refused decisions a router records before it turns further ones away unrecorded."""


class Identity(BaseModel):
    """A person or machine, as established by authentication."""

    subject: str
    """Stable unique name, usually an email address."""
    name: str = ""
    groups: list[str] = Field(default_factory=list)


class ApprovalPolicy(BaseModel):
    """How a team workflow is approved, taken from the team's own catalog entry."""

    required: bool = True
    min_approvers: int = 1
    allow_self_approval: bool = False
    approver_groups: list[str] = Field(default_factory=list)
    timeout_seconds: int = 86_400


class RouterRequest(BaseModel):
    """Input of the RouterWorkflow: a resolved, validated, signed request."""

    run_id: str
    entry_id: str
    workflow_type: str
    namespace: str
    endpoint: str
    environment: str
    inputs: dict[str, Any]
    requester: Identity
    token: str
    """The gateway's signature over who asked for what (see ``foyer.signing``)."""
    client: str = "http"
    requested_at: datetime | None = None
    timeout_seconds: int = 7 * 86_400


class StartRequest(BaseModel):
    """Input of a team's generated Nexus operation."""

    run_id: str
    entry_id: str
    environment: str
    inputs: dict[str, Any]
    token: str


class WorkflowRequest(BaseModel):
    """Input of every published team workflow.

    Built by the team's Nexus handler after it verified the token and the
    inputs, so a workflow can trust every field here.
    """

    run_id: str
    entry_id: str
    environment: str
    inputs: dict[str, Any]
    requester: Identity
    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)

    def inputs_as(self, model: type[ModelT]) -> ModelT:
        """The inputs as the team's own model.

        The inputs have passed the entry's JSON Schema, so a model that refuses
        them disagrees with its entry: that is a bug to fix, not a condition a
        retry can cure. Fails the run for good rather than the workflow task
        (which Temporal would retry forever).

        Raises:
            ApplicationError: non-retryable, of type ``InputsMismatch``, naming
                each field the model refused.
        """
        try:
            return model.model_validate(self.inputs)
        except ValidationError as err:
            # Imported only on this path: the catalog and the CLI read these models
            # without loading Temporal. In a workflow sandbox, the process's own
            # modules are reused rather than imported again.
            from temporalio import workflow
            from temporalio.exceptions import ApplicationError

            with workflow.unsafe.imports_passed_through():
                from foyer.contracts.names import INPUTS_MISMATCH

            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or 'inputs'}: {error['msg']}"
                for error in err.errors()
            )
            raise ApplicationError(
                f"The inputs of `{self.entry_id}` do not fit {model.__name__}: {problems}. "
                "The catalog entry's schema and the workflow's model disagree; fix one of them.",
                type=INPUTS_MISMATCH,
                non_retryable=True,
            ) from None


class DecisionCommand(BaseModel):
    """Update on the RouterWorkflow: approve or reject, as signed by the gateway.

    It names no approver: who decided is what the team side reads from ``token``.
    """

    approve: bool
    comment: str = ""
    token: str
    decision_id: str = ""
    """Idempotency id: the Update id at both hops, so a retry returns the first outcome."""


class DecisionRequest(BaseModel):
    """Input of the control service's ``decide`` operation."""

    run_id: str
    entry_id: str
    approve: bool
    comment: str = ""
    token: str
    decision_id: str = ""


class Decision(BaseModel):
    """Update on the team workflow, sent once the approver's identity is verified."""

    approver: Identity
    approve: bool
    comment: str = ""
    token_digest: str = ""
    """Digest of the signed token, so one token counts once."""


class ApprovalRecord(BaseModel):
    """One decision, as recorded by the team workflow."""

    approver: Identity
    approve: bool
    comment: str = ""
    at: datetime | None = None


class DecisionResult(BaseModel):
    """The synchronous answer to an approval, rejection or cancellation."""

    accepted: bool
    reason: str = ""
    code: Literal["accepted", "forbidden", "conflict", "invalid"] = "accepted"
    phase: Phase | None = None
    by: Identity | None = None
    """Who the team side verified as deciding or cancelling."""
    approvals: list[ApprovalRecord] | None = None
    """The team workflow's record of decisions after this one, when it answered."""


class CancelCommand(BaseModel):
    """Update on the RouterWorkflow: cancel the run, as signed by the gateway."""

    reason: str = ""
    token: str
    decision_id: str = ""


class CancelRequest(BaseModel):
    """Input of the control service's ``cancel`` operation."""

    run_id: str
    entry_id: str
    reason: str = ""
    token: str
    decision_id: str = ""


class Cancellation(BaseModel):
    """Update on the team workflow recording who cancelled it."""

    by: Identity
    reason: str = ""
    token_digest: str = ""


class TeamStatus(BaseModel):
    """Answer of a team workflow's status query."""

    phase: Phase = "pending"
    message: str = ""
    plan: Any = None
    approvals: list[ApprovalRecord] = Field(default_factory=list)
    cancelled_by: Identity | None = None
    irreversible: str | None = None
    """The irreversible step the run has begun, after which it cannot be cancelled."""


class RunError(BaseModel):
    """Why a run did not succeed, fit to show to the requester."""

    type: str
    message: str


class RunOutcome(BaseModel):
    """Result of the RouterWorkflow."""

    status: RunStatus
    result: Any = None
    error: RunError | None = None
    approvals: list[ApprovalRecord] = Field(default_factory=list)
    cancelled_by: Identity | None = None


class RunSummary(BaseModel):
    """What the gateway keeps in the router's memo: a run's request, readable without replay.

    ``mac`` is the gateway's keyed digest of the rest, so a memo written by
    anyone else into the gateway namespace is recognised as a forgery.
    """

    entry_id: str
    title: str = ""
    environment: str
    namespace: str
    inputs: dict[str, Any]
    requester: Identity
    client: str = ""
    digest: str
    requested_at: datetime | None = None
    mac: str = ""


class RunRecord(BaseModel):
    """Answer of the router's record query: the durable record of a run."""

    request: RouterRequest
    started: bool = False
    """Whether the team side accepted the start (its workflow exists)."""
    approvals: list[ApprovalRecord] = Field(default_factory=list)
    """As last reported by the team side, never as claimed by a command."""
    cancelled_by: Identity | None = None
    outcome: RunOutcome | None = None
    decisions: dict[str, DecisionResult] = Field(default_factory=dict)
    """Answers given so far, by decision id, so a retry after the run ended gets the first."""
    refused: int = 0
