"""Runs: submit, read, approve, reject, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from foyer.gateway.deps import Runs
from foyer.gateway.schemas import CancelBody, DecisionBody, RunCreate, RunPublic

router = APIRouter(prefix="/runs", tags=["runs"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def submit_run(
    body: RunCreate,
    runs: Runs,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=200,
            description="Retrying with the same key returns the same run.",
        ),
    ] = None,
) -> RunPublic:
    """Validate the inputs and start a run; 201 when created, 200 when the key was seen before."""
    run, created = await runs.submit(body, idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return run


@router.get("/{run_id}")
async def get_run(run_id: str, runs: Runs) -> RunPublic:
    """A run's status, approvals, plan and result."""
    return await runs.get(run_id)


@router.post("/{run_id}/approve")
async def approve_run(run_id: str, runs: Runs, body: DecisionBody | None = None) -> RunPublic:
    """Approve, as a member of the entry's approver groups; answered by the owning team."""
    return await runs.decide(run_id, True, (body or DecisionBody()).comment)


@router.post("/{run_id}/reject")
async def reject_run(run_id: str, runs: Runs, body: DecisionBody | None = None) -> RunPublic:
    """Reject, as a member of the entry's approver groups."""
    return await runs.decide(run_id, False, (body or DecisionBody()).comment)


@router.post("/{run_id}/cancel")
async def cancel_run(run_id: str, runs: Runs, body: CancelBody | None = None) -> RunPublic:
    """Cancel, as the requester or an approver."""
    return await runs.cancel(run_id, (body or CancelBody()).reason)
