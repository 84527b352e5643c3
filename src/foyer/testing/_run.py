"""One run in a test environment: its status, decisions, cancellation and outcome."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError

from foyer.catalog import Entry
from foyer.contracts import (
    CancelCommand,
    DecisionCommand,
    DecisionResult,
    Identity,
    Phase,
    RunOutcome,
    TeamStatus,
)
from foyer.contracts.names import (
    ROUTER_CANCEL_UPDATE,
    ROUTER_DECIDE_UPDATE,
    TEAM_STATUS_QUERY,
    team_workflow_id,
)
from foyer.signing import cancel_content, decision_content

if TYPE_CHECKING:
    from foyer.testing._environment import FoyerEnvironment

ModelT = TypeVar("ModelT", bound=BaseModel)
POLL_SECONDS = 0.05


class RunFailed(AssertionError):
    """A run a test expected to succeed did not; carries its outcome."""

    def __init__(self, run_id: str, outcome: RunOutcome) -> None:
        error = outcome.error
        detail = f"{error.type}: {error.message}" if error else "no error recorded"
        super().__init__(f"Run {run_id} ended {outcome.status}: {detail}")
        self.outcome = outcome


class Run:
    """A run started by :meth:`FoyerEnvironment.submit`."""

    def __init__(
        self,
        environment: FoyerEnvironment,
        entry: Entry,
        namespace: str,
        handle: WorkflowHandle[Any, Any],
    ) -> None:
        self._env = environment
        self.entry = entry
        self.namespace = namespace
        """The team namespace the run's environment maps to."""
        self.handle = handle
        """The RouterWorkflow in the gateway namespace."""

    @property
    def run_id(self) -> str:
        return self.handle.id

    @property
    def team_workflow_id(self) -> str:
        return team_workflow_id(self.entry.id, self.run_id)

    def team_handle(self) -> WorkflowHandle[Any, Any]:
        """The team workflow, in the team's namespace."""
        return self._env.client(self.namespace).get_workflow_handle(self.team_workflow_id)

    async def status(self) -> TeamStatus | None:
        """The team workflow's status query; ``None`` while it is not running."""
        try:
            return await self.team_handle().query(TEAM_STATUS_QUERY, result_type=TeamStatus)
        except RPCError:
            return None

    async def wait_for(self, phase: Phase, timeout: float = 20.0) -> TeamStatus:
        """Poll the status until the team workflow reaches ``phase``.

        Raises:
            RunFailed: If the run ends first.
            TimeoutError: If ``timeout`` seconds pass first.
        """
        deadline = time.monotonic() + timeout
        while True:
            status = await self.status()
            if status is not None and status.phase == phase:
                return status
            description = await self.handle.describe()
            if description.close_time is not None:
                raise RunFailed(self.run_id, await self.outcome())
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"Run {self.run_id} did not reach {phase} within {timeout} s; last: {status}"
                )
            await asyncio.sleep(POLL_SECONDS)

    async def approve(self, approver: Identity, comment: str = "") -> DecisionResult:
        """Approve as ``approver``; returns the team's answer (accepted or refused)."""
        return await self._decide(approver, True, comment)

    async def reject(self, approver: Identity, comment: str = "") -> DecisionResult:
        return await self._decide(approver, False, comment)

    async def _decide(self, approver: Identity, approve: bool, comment: str) -> DecisionResult:
        did = f"{'approve' if approve else 'reject'}-{uuid.uuid4().hex}"
        token = self._env.signer.sign(
            approver,
            act="decide",
            run=self.run_id,
            entry=self.entry.id,
            content=decision_content(approve, comment, did),
        )
        command = DecisionCommand(approve=approve, comment=comment, token=token, decision_id=did)
        return await self.handle.execute_update(
            ROUTER_DECIDE_UPDATE, command, id=did, result_type=DecisionResult
        )

    async def cancel(self, by: Identity, reason: str = "") -> DecisionResult:
        """Cancel as ``by``; returns the team's answer."""
        did = f"cancel-{uuid.uuid4().hex}"
        token = self._env.signer.sign(
            by,
            act="cancel",
            run=self.run_id,
            entry=self.entry.id,
            content=cancel_content(reason, did),
        )
        return await self.handle.execute_update(
            ROUTER_CANCEL_UPDATE,
            CancelCommand(reason=reason, token=token, decision_id=did),
            id=did,
            result_type=DecisionResult,
        )

    async def outcome(self) -> RunOutcome:
        """Wait for the run to end; what the router recorded."""
        outcome = await self.handle.result()
        return outcome if isinstance(outcome, RunOutcome) else RunOutcome.model_validate(outcome)

    async def result(self, model: type[ModelT]) -> ModelT:
        """Wait for the run to succeed and read its result as ``model``.

        Raises:
            RunFailed: If it ends any other way.
        """
        outcome = await self.outcome()
        if outcome.status != "succeeded":
            raise RunFailed(self.run_id, outcome)
        return model.model_validate(outcome.result)
