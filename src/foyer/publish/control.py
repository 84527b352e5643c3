"""Foyer's control service, served on every team endpoint: decide and cancel.

A decision arrives as a Nexus operation from the run's RouterWorkflow. The
approver's identity is taken only from the gateway's signed token, checked
against the team's own catalog entry, and handed to the team workflow as an
Update whose validator applies the run's approval policy. The answer, accepted
or refused with a reason, goes straight back to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nexusrpc.handler import StartOperationContext, service_handler, sync_operation
from temporalio import nexus
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import Entry
from foyer.contracts import (
    Cancellation,
    CancelRequest,
    Decision,
    DecisionRequest,
    DecisionResult,
    Identity,
)
from foyer.contracts.names import (
    CANCEL_OPERATION,
    CONTROL_SERVICE,
    DECIDE_OPERATION,
    FORBIDDEN,
    TEAM_CANCEL_UPDATE,
    TEAM_DECIDE_UPDATE,
    team_workflow_id,
)
from foyer.signing import Action, SignatureError, Verifier


class _Refused(Exception):
    def __init__(self, result: DecisionResult) -> None:
        self.result = result


def _refusal(code: str, reason: str) -> _Refused:
    return _Refused(
        DecisionResult.model_validate({"accepted": False, "code": code, "reason": reason})
    )


@service_handler(name=CONTROL_SERVICE)
class ControlServiceHandler:
    """Decisions and cancellations for the workflows a team publishes."""

    def __init__(self, entries: Sequence[Entry], verifier: Verifier) -> None:
        self._entries = {entry.id: entry for entry in entries}
        self._verifier = verifier

    @sync_operation(name=DECIDE_OPERATION)
    async def decide(self, ctx: StartOperationContext, request: DecisionRequest) -> DecisionResult:
        try:
            entry, identity = self._authenticate(
                request.entry_id,
                request.token,
                act="decide",
                run_id=request.run_id,
                content={"approve": request.approve, "comment": request.comment},
            )
            if not entry.may_approve(identity.groups):
                groups = ", ".join(entry.access.approve) or "none"
                raise _refusal(
                    "forbidden", f"{identity.subject} is not in an approver group ({groups})"
                )
            decision = Decision(approver=identity, approve=request.approve, comment=request.comment)
            return await _update(
                _team_workflow(entry, request.run_id), TEAM_DECIDE_UPDATE, decision
            )
        except _Refused as refused:
            return refused.result

    @sync_operation(name=CANCEL_OPERATION)
    async def cancel(self, ctx: StartOperationContext, request: CancelRequest) -> DecisionResult:
        try:
            entry, identity = self._authenticate(
                request.entry_id,
                request.token,
                act="cancel",
                run_id=request.run_id,
                content={"reason": request.reason},
            )
            handle = _team_workflow(entry, request.run_id)
            result = await _update(
                handle, TEAM_CANCEL_UPDATE, Cancellation(by=identity, reason=request.reason)
            )
            await handle.cancel()
            return result
        except _Refused as refused:
            return refused.result

    def _authenticate(
        self, entry_id: str, token: str, *, act: Action, run_id: str, content: Any
    ) -> tuple[Entry, Identity]:
        entry = self._entries.get(entry_id)
        if entry is None:
            raise _refusal("invalid", f"`{entry_id}` is not published here")
        try:
            identity = self._verifier.verify(
                token, act=act, run=run_id, entry=entry_id, content=content
            )
        except SignatureError as err:
            raise _refusal("forbidden", f"Refused: {err}") from err
        return entry, identity


def _team_workflow(entry: Entry, run_id: str) -> WorkflowHandle[Any, Any]:
    return nexus.client().get_workflow_handle(team_workflow_id(entry.id, run_id))


async def _update(handle: WorkflowHandle[Any, Any], update: str, arg: Any) -> DecisionResult:
    try:
        return await handle.execute_update(update, arg, result_type=DecisionResult)
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            code = "forbidden" if cause.type == FORBIDDEN else "conflict"
            raise _refusal(code, cause.message) from err
        raise
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise _refusal("conflict", "This run has already finished") from err
        raise
