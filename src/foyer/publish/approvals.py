"""The approvals helper that published team workflows use.

Imported inside workflow code, so it only uses deterministic workflow APIs.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from foyer.contracts import (
    ApprovalRecord,
    Cancellation,
    Decision,
    DecisionResult,
    Identity,
    Phase,
    TeamStatus,
    WorkflowRequest,
)
from foyer.contracts.models import MAX_TEXT_LENGTH
from foyer.contracts.names import (
    APPROVAL_TIMED_OUT,
    CONFLICT,
    FORBIDDEN,
    REJECTED,
    TEAM_CANCEL_UPDATE,
    TEAM_DECIDE_UPDATE,
    TEAM_STATUS_QUERY,
)
from foyer.contracts.policy import Refusal, cancel_refusal, decision_refusal


class Approvals:
    """Status, dry-run plan, approval decisions and cancellation of one team workflow run.

    Create it first thing in the workflow's run method: it registers the
    decision and cancellation Updates (with validators) and the status Query
    that Foyer's control service and gateway use.

    A cancellation, once accepted, interrupts the run at whatever it awaits
    (an activity, the approval wait), unless the run has begun an irreversible
    step: from :meth:`irreversible` on, cancellations are refused with the
    step's name, so the final status always says what happened.

    Example:
        .. code-block:: python

            approvals = Approvals(request)
            approvals.publish_plan(await workflow.execute_activity(plan, ...))
            await approvals.wait()
            approvals.irreversible("Deleting the table")
            await workflow.execute_activity(delete_table, ...)
    """

    def __init__(self, request: WorkflowRequest) -> None:
        self._request = request
        self._status = TeamStatus()
        self._rejection: ApprovalRecord | None = None
        self._used_tokens: set[str] = set()
        # The run method's task: an accepted cancellation cancels it at its
        # current await, in the same workflow task that accepted it.
        self._run_task = asyncio.current_task()
        workflow.set_update_handler(
            TEAM_DECIDE_UPDATE, self._decide, validator=self._validate_decision
        )
        workflow.set_update_handler(
            TEAM_CANCEL_UPDATE, self._cancel, validator=self._validate_cancellation
        )
        workflow.set_query_handler(TEAM_STATUS_QUERY, self._status_query)

    @property
    def approvals(self) -> list[ApprovalRecord]:
        """Accepted approvals so far, oldest first."""
        return [record for record in self._status.approvals if record.approve]

    @property
    def cancelled_by(self) -> Identity | None:
        return self._status.cancelled_by

    def set_status(self, phase: Phase, message: str = "") -> None:
        """Report where the run is; shown to requesters and approvers."""
        self._status.phase = phase
        self._status.message = message

    def publish_plan(self, plan: Any) -> None:
        """Publish what the run will do (a dry-run plan), for approvers to read."""
        self._status.plan = plan

    def irreversible(self, step: str) -> None:
        """Mark the start of a step that cannot be undone, such as deleting a table.

        Call it right before the step. From then on a cancellation is refused
        with ``too late: <step>``. The step is also the run's status message.

        Raises:
            asyncio.CancelledError: A cancellation was accepted before this call;
                the step must not begin.
        """
        if self._status.cancelled_by is not None:
            raise asyncio.CancelledError("cancelled before an irreversible step")
        self._status.irreversible = step
        self.set_status("running", step)

    async def wait(self) -> list[ApprovalRecord]:
        """Wait for enough approvals, as the run's approval policy asks.

        Returns immediately when the policy requires no approval.

        Raises:
            ApplicationError: of type ``Rejected`` when an approver rejects, or
                ``ApprovalTimedOut`` when no decision comes in time.
        """
        policy = self._request.approval
        if not policy.required:
            self.set_status("running")
            return []
        self.set_status("awaiting_approval", "Waiting for approval")
        try:
            await workflow.wait_condition(
                lambda: self._rejection is not None or len(self.approvals) >= policy.min_approvers,
                timeout=timedelta(seconds=policy.timeout_seconds),
            )
        except TimeoutError:
            raise ApplicationError(
                f"No decision within {policy.timeout_seconds} seconds",
                type=APPROVAL_TIMED_OUT,
                non_retryable=True,
            ) from None
        if self._rejection is not None:
            who = self._rejection.approver.name or self._rejection.approver.subject
            comment = f": {self._rejection.comment}" if self._rejection.comment else ""
            raise ApplicationError(f"Rejected by {who}{comment}", type=REJECTED, non_retryable=True)
        self.set_status("running", "Approved")
        return self.approvals

    def _validate_decision(self, decision: Decision) -> None:
        policy = self._request.approval
        approver = decision.approver
        _check_text(decision.comment, "comment")
        if decision.token_digest and decision.token_digest in self._used_tokens:
            raise ApplicationError("This decision's token was already used", type=CONFLICT)
        if self._status.phase != "awaiting_approval":
            raise ApplicationError(
                f"This run is not awaiting approval (it is {self._status.phase})", type=CONFLICT
            )
        _raise(
            decision_refusal(
                approver.subject,
                approver.groups,
                requester=self._request.requester.subject,
                approver_groups=policy.approver_groups,
                allow_self_approval=policy.allow_self_approval,
                decided_by=[record.approver.subject for record in self._status.approvals],
            )
        )

    async def _decide(self, decision: Decision) -> DecisionResult:
        self._used_tokens.add(decision.token_digest)
        record = ApprovalRecord(
            approver=decision.approver,
            approve=decision.approve,
            comment=decision.comment,
            at=workflow.now(),
        )
        self._status.approvals.append(record)
        if not decision.approve:
            self._rejection = record
        return self._answer(decision.approver)

    def _validate_cancellation(self, cancellation: Cancellation) -> None:
        by = cancellation.by
        _check_text(cancellation.reason, "reason")
        if cancellation.token_digest and cancellation.token_digest in self._used_tokens:
            raise ApplicationError("This cancellation's token was already used", type=CONFLICT)
        _raise(
            cancel_refusal(
                by.subject,
                by.groups,
                requester=self._request.requester.subject,
                approver_groups=self._request.approval.approver_groups,
            )
        )
        if self._status.irreversible is not None:
            raise ApplicationError(f"too late: {self._status.irreversible}", type=CONFLICT)
        if self._status.cancelled_by is not None:
            raise ApplicationError("This run is already being cancelled", type=CONFLICT)

    async def _cancel(self, cancellation: Cancellation) -> DecisionResult:
        # The run may have moved on between the validator and this handler, in
        # the same workflow task: check again, so an accepted cancel is true.
        if self._status.irreversible is not None:
            raise ApplicationError(f"too late: {self._status.irreversible}", type=CONFLICT)
        if self._run_task is not None and self._run_task.done():
            raise ApplicationError("too late: the run has finished", type=CONFLICT)
        self._used_tokens.add(cancellation.token_digest)
        self._status.cancelled_by = cancellation.by
        self._status.message = "Cancelled"
        if self._run_task is not None:
            self._run_task.cancel("cancelled by " + cancellation.by.subject)
        return self._answer(cancellation.by)

    def _answer(self, by: Identity) -> DecisionResult:
        return DecisionResult(
            accepted=True, phase=self._status.phase, by=by, approvals=list(self._status.approvals)
        )

    def _status_query(self) -> TeamStatus:
        return self._status


def _check_text(text: str, name: str) -> None:
    if len(text) > MAX_TEXT_LENGTH:
        raise ApplicationError(
            f"The {name} is longer than {MAX_TEXT_LENGTH} characters", type=CONFLICT
        )


def _raise(refusal: Refusal | None) -> None:
    if refusal is not None:
        kind = FORBIDDEN if refusal.code == "forbidden" else CONFLICT
        raise ApplicationError(refusal.reason, type=kind)
