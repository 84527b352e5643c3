"""RouterWorkflow: the durable record of one run, in the gateway namespace.

It receives a request the gateway already resolved, validated and signed, and
crosses into the owning team's namespace only through Nexus: one operation to
start the team workflow and wait for its result, and the team's control
service for decisions and cancellation. It reads no files and no network.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import (
    ApplicationError,
    CancelledError,
    FailureError,
    NexusOperationError,
)

with workflow.unsafe.imports_passed_through():
    from nexusrpc import HandlerError

    from foyer.contracts import (
        CancelCommand,
        CancelRequest,
        DecisionCommand,
        DecisionRequest,
        DecisionResult,
        RouterRequest,
        RunError,
        RunOutcome,
        RunRecord,
        StartRequest,
    )
    from foyer.contracts.models import MAX_REFUSED_DECISIONS, MAX_TEXT_LENGTH
    from foyer.contracts.names import (
        CANCEL_OPERATION,
        CONFLICT,
        CONTROL_SERVICE,
        DECIDE_OPERATION,
        REJECTED,
        ROUTER_CANCEL_UPDATE,
        ROUTER_DECIDE_UPDATE,
        ROUTER_RECORD_QUERY,
        ROUTER_WORKFLOW,
        WORKFLOWS_SERVICE,
    )


@workflow.defn(name=ROUTER_WORKFLOW)
class RouterWorkflow:
    """Starts the team workflow over Nexus and relays decisions to it."""

    @workflow.init
    def __init__(self, request: RouterRequest) -> None:
        self._record = RunRecord(request=request)
        # The start has an answer (started or refused); decisions wait for it.
        self._start_settled = False

    @workflow.run
    async def run(self, request: RouterRequest) -> RunOutcome:
        team = workflow.create_nexus_client(service=WORKFLOWS_SERVICE, endpoint=request.endpoint)
        try:
            operation: workflow.NexusOperationHandle[Any] = await team.start_operation(
                request.workflow_type,
                StartRequest(
                    run_id=request.run_id,
                    entry_id=request.entry_id,
                    environment=request.environment,
                    inputs=request.inputs,
                    token=request.token,
                ),
                schedule_to_close_timeout=timedelta(seconds=request.timeout_seconds),
                summary=f"{request.entry_id} for {request.requester.subject}",
            )
            self._record.started = True
            self._start_settled = True
            outcome = RunOutcome(status="succeeded", result=await operation)
        except FailureError as err:
            outcome = _outcome_of(err)
        self._start_settled = True
        # A decision or cancellation may still be relaying its answer; let it
        # finish so the outcome records who decided.
        await workflow.wait_condition(workflow.all_handlers_finished)
        outcome.approvals = self._record.approvals
        outcome.cancelled_by = self._record.cancelled_by
        self._record.outcome = outcome
        return outcome

    @workflow.query(name=ROUTER_RECORD_QUERY)
    def record(self) -> RunRecord:
        return self._record

    @workflow.update(name=ROUTER_DECIDE_UPDATE)
    async def decide(self, command: DecisionCommand) -> DecisionResult:
        request = self._record.request
        return await self._relay(
            DECIDE_OPERATION,
            DecisionRequest(
                run_id=request.run_id,
                entry_id=request.entry_id,
                approve=command.approve,
                comment=command.comment,
                token=command.token,
                decision_id=command.decision_id,
            ),
            command.decision_id,
        )

    @decide.validator
    def _validate_decide(self, command: DecisionCommand) -> None:
        self._admit(command.comment)

    @workflow.update(name=ROUTER_CANCEL_UPDATE)
    async def cancel(self, command: CancelCommand) -> DecisionResult:
        request = self._record.request
        result = await self._relay(
            CANCEL_OPERATION,
            CancelRequest(
                run_id=request.run_id,
                entry_id=request.entry_id,
                reason=command.reason,
                token=command.token,
                decision_id=command.decision_id,
            ),
            command.decision_id,
        )
        if result.accepted and result.by is not None:
            self._record.cancelled_by = result.by
        return result

    @cancel.validator
    def _validate_cancel(self, command: CancelCommand) -> None:
        self._admit(command.reason)

    def _admit(self, text: str) -> None:
        """Turn away, before anything enters the history, what cannot be relayed."""
        if self._record.outcome is not None:
            raise ApplicationError(
                f"This run has already finished ({self._record.outcome.status})", type=CONFLICT
            )
        if len(text) > MAX_TEXT_LENGTH:
            raise ApplicationError(
                f"Comments and reasons are limited to {MAX_TEXT_LENGTH} characters", type=CONFLICT
            )
        if self._record.refused >= MAX_REFUSED_DECISIONS:
            raise ApplicationError(
                f"This run refused {MAX_REFUSED_DECISIONS} decisions; it takes no more",
                type=CONFLICT,
            )

    async def _relay(
        self, operation: str, request: DecisionRequest | CancelRequest, decision_id: str
    ) -> DecisionResult:
        """Ask the team's control service, which answers synchronously.

        The operation may wait for as long as the run lives: a decision only
        gets a definite answer, and the gateway's caller retries with the same
        decision id in the meantime, which Temporal answers from this Update.
        """
        # The team workflow may already wait for a decision while this workflow has yet
        # to learn that the start succeeded: wait for that (milliseconds), not refuse.
        await workflow.wait_condition(lambda: self._start_settled)
        if not self._record.started:
            return DecisionResult(
                accepted=False, code="conflict", reason="This run's workflow never started"
            )
        control = workflow.create_nexus_client(
            service=CONTROL_SERVICE, endpoint=self._record.request.endpoint
        )
        try:
            result: DecisionResult = await control.execute_operation(
                operation,
                request,
                output_type=DecisionResult,
                schedule_to_close_timeout=timedelta(seconds=self._record.request.timeout_seconds),
            )
        except NexusOperationError as err:
            # The team's handler gave up on it for good: a definite refusal.
            result = DecisionResult(
                accepted=False, code="conflict", reason=f"The owning team refused it: {err.cause}"
            )
        if result.accepted:
            if result.approvals is not None:
                self._record.approvals = result.approvals
        else:
            self._record.refused += 1
        if decision_id:
            self._record.decisions[decision_id] = result.model_copy(update={"approvals": None})
        return result


def _outcome_of(error: FailureError) -> RunOutcome:
    """Classify why the team operation did not succeed, by its innermost cause."""
    cause: BaseException = error
    while cause.__cause__ is not None and not isinstance(
        cause, ApplicationError | CancelledError | HandlerError
    ):
        cause = cause.__cause__
    if isinstance(cause, CancelledError):
        return RunOutcome(status="cancelled", error=RunError(type="Cancelled", message="Cancelled"))
    if isinstance(cause, ApplicationError):
        status = "rejected" if cause.type == REJECTED else "failed"
        return RunOutcome.model_validate(
            {"status": status, "error": {"type": cause.type or "Error", "message": cause.message}}
        )
    if isinstance(cause, HandlerError):
        return RunOutcome(status="failed", error=RunError(type="Refused", message=str(cause)))
    return RunOutcome(
        status="failed", error=RunError(type=type(cause).__name__, message=str(cause))
    )
