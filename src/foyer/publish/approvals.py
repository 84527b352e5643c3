"""The approvals helper that published team workflows use.

Imported inside workflow code, so it only uses deterministic workflow APIs.
"""

from __future__ import annotations

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
from foyer.contracts.names import (
    APPROVAL_TIMED_OUT,
    CONFLICT,
    FORBIDDEN,
    REJECTED,
    TEAM_CANCEL_UPDATE,
    TEAM_DECIDE_UPDATE,
    TEAM_STATUS_QUERY,
)


class Approvals:
    """Status, dry-run plan and approval decisions of one team workflow run.

    Create it first thing in the workflow's run method: it registers the
    decision and cancellation Updates (with validators) and the status Query
    that Foyer's control service and gateway use.

    Example:
        .. code-block:: python

            approvals = Approvals(request)
            approvals.publish_plan(await workflow.execute_activity(plan, ...))
            await approvals.wait()
            approvals.set_status("running", "Deleting the table")
    """

    def __init__(self, request: WorkflowRequest) -> None:
        self._request = request
        self._status = TeamStatus()
        self._rejection: ApprovalRecord | None = None
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
        if self._status.phase != "awaiting_approval":
            raise ApplicationError(
                f"This run is not awaiting approval (it is {self._status.phase})", type=CONFLICT
            )
        if not set(approver.groups) & set(policy.approver_groups):
            groups = ", ".join(policy.approver_groups) or "none"
            raise ApplicationError(
                f"{approver.subject} is not in an approver group ({groups})", type=FORBIDDEN
            )
        if approver.subject == self._request.requester.subject and not policy.allow_self_approval:
            raise ApplicationError(
                f"{approver.subject} requested this run and may not approve it", type=FORBIDDEN
            )
        if any(r.approver.subject == approver.subject for r in self._status.approvals):
            raise ApplicationError(f"{approver.subject} has already decided", type=CONFLICT)

    async def _decide(self, decision: Decision) -> DecisionResult:
        record = ApprovalRecord(
            approver=decision.approver,
            approve=decision.approve,
            comment=decision.comment,
            at=workflow.now(),
        )
        self._status.approvals.append(record)
        if not decision.approve:
            self._rejection = record
        return DecisionResult(accepted=True, phase=self._status.phase)

    def _validate_cancellation(self, cancellation: Cancellation) -> None:
        by = cancellation.by
        is_requester = by.subject == self._request.requester.subject
        is_approver = bool(set(by.groups) & set(self._request.approval.approver_groups))
        if not (is_requester or is_approver):
            raise ApplicationError(
                f"Only the requester or an approver may cancel; {by.subject} is neither",
                type=FORBIDDEN,
            )
        if self._status.cancelled_by is not None:
            raise ApplicationError("This run is already being cancelled", type=CONFLICT)

    async def _cancel(self, cancellation: Cancellation) -> DecisionResult:
        self._status.cancelled_by = cancellation.by
        return DecisionResult(accepted=True, phase=self._status.phase)

    def _status_query(self) -> TeamStatus:
        return self._status
