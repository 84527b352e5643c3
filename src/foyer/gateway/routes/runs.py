"""Runs: submit, read, approve, reject, cancel."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status

from foyer.gateway.deps import CurrentCaller, IdempotencyKey, Runs, scoped
from foyer.gateway.schemas import CancelBody, DecisionBody, RunCreate
from foyer.runs import Run

router = APIRouter(prefix="/runs", tags=["runs"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="submitRun",
    dependencies=[Depends(scoped("run", refusal="run.refused"))],
)
async def submit_run(
    body: RunCreate,
    runs: Runs,
    caller: CurrentCaller,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Run:
    """Validate the inputs and start a run; 201 when created, 200 when the key was seen before."""
    run, created = await runs.submit(
        caller, body.workflow, body.inputs, body.environment, idempotency_key
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return run


@router.get("/{run_id}", operation_id="getRun")
async def get_run(run_id: str, runs: Runs, caller: CurrentCaller) -> Run:
    """A run's status, approvals, plan and result."""
    return await runs.get(run_id)


@router.post(
    "/{run_id}/approve",
    operation_id="approveRun",
    dependencies=[Depends(scoped("approve", refusal="decision.refused"))],
)
async def approve_run(
    run_id: str,
    runs: Runs,
    caller: CurrentCaller,
    body: DecisionBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Run:
    """Approve, as a member of the entry's approver groups; answered by the owning team."""
    comment = (body or DecisionBody()).comment
    return await runs.decide(caller, run_id, True, comment, idempotency_key)


@router.post(
    "/{run_id}/reject",
    operation_id="rejectRun",
    dependencies=[Depends(scoped("approve", refusal="decision.refused"))],
)
async def reject_run(
    run_id: str,
    runs: Runs,
    caller: CurrentCaller,
    body: DecisionBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Run:
    """Reject, as a member of the entry's approver groups."""
    comment = (body or DecisionBody()).comment
    return await runs.decide(caller, run_id, False, comment, idempotency_key)


@router.post(
    "/{run_id}/cancel",
    operation_id="cancelRun",
    dependencies=[Depends(scoped("run", "approve", refusal="decision.refused"))],
)
async def cancel_run(
    run_id: str,
    runs: Runs,
    caller: CurrentCaller,
    body: CancelBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Run:
    """Cancel, as the requester or an approver; refused once an irreversible step began."""
    reason = (body or CancelBody()).reason
    return await runs.cancel(caller, run_id, reason, idempotency_key)
