"""Foyer's control service, served on every team endpoint: decide and cancel.

A decision arrives as a Nexus operation from the run's RouterWorkflow. The
approver's identity is taken only from the gateway's signed token and handed
to the team workflow as an Update whose validator applies the run's approval
policy, taken from the team's own catalog entry when the run started. The answer, accepted
or refused with a reason, goes straight back to the caller.

Each decision carries an id used as the team workflow's Update id, so a
redelivered or retried decision returns its first outcome, even after the
team workflow has ended (the outcome is then read back from its record).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from nexusrpc.handler import StartOperationContext, service_handler, sync_operation
from temporalio import nexus
from temporalio.client import WorkflowHandle, WorkflowQueryFailedError, WorkflowUpdateFailedError
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
    TeamStatus,
)
from foyer.contracts.names import (
    CANCEL_OPERATION,
    CONFLICT,
    CONTROL_SERVICE,
    DECIDE_OPERATION,
    FORBIDDEN,
    TEAM_CANCEL_UPDATE,
    TEAM_DECIDE_UPDATE,
    TEAM_STATUS_QUERY,
    team_workflow_id,
)
from foyer.contracts.policy import same_subject
from foyer.signing import (
    Action,
    SignatureError,
    Verifier,
    cancel_content,
    decision_content,
    token_digest,
)


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
                content=decision_content(request.approve, request.comment, request.decision_id),
            )
            decision = Decision(
                approver=identity,
                approve=request.approve,
                comment=request.comment,
                token_digest=token_digest(request.token),
            )

            def recorded(status: TeamStatus) -> bool:
                return any(
                    same_subject(a.approver.subject, identity.subject)
                    and a.approve == request.approve
                    for a in status.approvals
                )

            return await _update(
                _team_workflow(entry, request.run_id),
                TEAM_DECIDE_UPDATE,
                decision,
                request.decision_id,
                identity,
                recorded,
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
                content=cancel_content(request.reason, request.decision_id),
            )
            cancellation = Cancellation(
                by=identity, reason=request.reason, token_digest=token_digest(request.token)
            )

            def recorded(status: TeamStatus) -> bool:
                by = status.cancelled_by
                return by is not None and same_subject(by.subject, identity.subject)

            return await _update(
                _team_workflow(entry, request.run_id),
                TEAM_CANCEL_UPDATE,
                cancellation,
                request.decision_id,
                identity,
                recorded,
            )
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


async def _update(
    handle: WorkflowHandle[Any, Any],
    update: str,
    arg: Any,
    update_id: str,
    identity: Identity,
    recorded: Callable[[TeamStatus], bool],
) -> DecisionResult:
    failure: Exception
    try:
        return await handle.execute_update(
            update, arg, id=update_id or None, result_type=DecisionResult
        )
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type in (FORBIDDEN, CONFLICT):
            code = "forbidden" if cause.type == FORBIDDEN else "conflict"
            raise _refusal(code, cause.message) from err
        failure = err  # e.g. the workflow completed while the Update was in flight
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:
            raise
        failure = err
    # The team workflow has ended. If this very decision was counted before it
    # ended (an answer lost on the way back), say so again.
    status = await _final_status(handle)
    if status is not None and recorded(status):
        return DecisionResult(
            accepted=True, phase=status.phase, by=identity, approvals=status.approvals
        )
    raise _refusal("conflict", "This run has already finished") from failure


async def _final_status(handle: WorkflowHandle[Any, Any]) -> TeamStatus | None:
    try:
        return await handle.query(TEAM_STATUS_QUERY, result_type=TeamStatus)
    except (RPCError, WorkflowQueryFailedError):
        return None
