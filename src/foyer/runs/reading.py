"""Reading a run: what its router execution, and while it waits its team workflow, say now.

Only the router execution the ledger pinned is read; the team workflow's
status Query adds live progress (plan, approvals, message) and is best effort.

A Query costs a round trip through a worker, so a live run is read with as few
as its state allows: the pinned execution's description (which the server keeps,
no worker involved) says whether the team start is still pending or has started;
a started run is then read from the team's status alone, and the router's record
is asked only when the team cannot answer or the start is no longer pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from temporalio.api.enums.v1 import PendingNexusOperationState
from temporalio.api.workflow.v1 import PendingNexusOperationInfo
from temporalio.client import (
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowQueryFailedError,
)
from temporalio.common import QueryRejectCondition
from temporalio.service import RPCError

from foyer.contracts import ApprovalRecord, RunError, RunOutcome, RunRecord, RunSummary, TeamStatus
from foyer.contracts.models import FINAL_STATUSES
from foyer.contracts.names import (
    ROUTER_RECORD_QUERY,
    TEAM_STATUS_QUERY,
    WORKFLOWS_SERVICE,
    team_workflow_id,
)
from foyer.db import LedgerRun
from foyer.runs.backend import READ_TIMEOUT, Backend, unavailable
from foyer.runs.models import Approval, Run, RunLinks

_STARTED = PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_STARTED


@dataclass(frozen=True)
class Pinned:
    """The router execution the gateway started for a run, and what it recorded."""

    handle: WorkflowHandle[Any, Any]
    description: WorkflowExecutionDescription
    summary: RunSummary
    recorded: LedgerRun


class RunReader:
    """Reads runs from Temporal; never writes."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    async def read(self, pinned: Pinned) -> Run:
        """The run as its router execution (and, while it waits, its team workflow) says."""
        description, summary, handle = pinned.description, pinned.summary, pinned.handle
        run_id = description.id
        created = description.start_time
        if description.status == WorkflowExecutionStatus.RUNNING:
            return await self._live(pinned)
        closed = description.close_time
        if description.status == WorkflowExecutionStatus.COMPLETED:
            outcome = await self._result(handle)
        else:
            outcome = await _abnormal_outcome(handle, description.status)
        view = self.view(run_id, summary, outcome.status, created_at=created, closed_at=closed)
        return _with_outcome(view, outcome)

    async def _result(self, handle: WorkflowHandle[Any, Any]) -> RunOutcome:
        try:
            raw = await handle.result(rpc_timeout=READ_TIMEOUT)
            outcome = RunOutcome.model_validate(raw)
        except RPCError as err:
            raise unavailable(err, "reading the run") from err
        return outcome

    async def record(self, handle: WorkflowHandle[Any, Any]) -> RunRecord | None:
        try:
            record: RunRecord = await handle.query(
                ROUTER_RECORD_QUERY, result_type=RunRecord, rpc_timeout=READ_TIMEOUT
            )
        except (RPCError, WorkflowQueryFailedError):
            # The router has not run its first task yet, or its worker is down.
            return None
        return record

    async def _live(self, pinned: Pinned) -> Run:
        """A running router's run, asking only the Queries its description leaves open."""
        description, summary = pinned.description, pinned.summary
        run_id, created = description.id, description.start_time
        start = _team_start(description)
        if start is not None and start.state != _STARTED:
            # Scheduled or retrying: the team has not started its workflow yet.
            return self.view(run_id, summary, "pending", created_at=created)
        if start is not None:
            team = await self._team_status(summary, run_id)
            if team is not None:
                return self._live_view(run_id, summary, created, team.phase, team=team)
        # Not scheduled yet, answered already, or the team cannot say: the router's record.
        record = await self.record(pinned.handle)
        if record is None:
            # The router has not run its first task yet, or its worker is down.
            status = "running" if start is not None else "pending"
            return self.view(run_id, summary, status, created_at=created)
        if record.outcome is not None:
            # Finished; the router is only draining its last Update handlers.
            view = self.view(run_id, summary, record.outcome.status, created_at=created)
            return _with_outcome(view, record.outcome)
        status = "running" if start is not None or record.started else "pending"
        return self._live_view(run_id, summary, created, status, record=record)

    def _live_view(
        self,
        run_id: str,
        summary: RunSummary,
        created: datetime | None,
        status: str,
        *,
        record: RunRecord | None = None,
        team: TeamStatus | None = None,
    ) -> Run:
        view = self.view(run_id, summary, status, created_at=created)
        if record is not None:
            view.approvals = _approvals(record.approvals)
            view.cancelled_by = record.cancelled_by.subject if record.cancelled_by else None
        if team is not None:
            view.message = team.message
            view.plan = team.plan
            view.irreversible = team.irreversible
            view.approvals = _approvals(team.approvals)
            if team.cancelled_by is not None:
                view.cancelled_by = team.cancelled_by.subject
        return view

    async def _team_status(self, summary: RunSummary, run_id: str) -> TeamStatus | None:
        client = await self._backend.team_client(summary.namespace)
        handle = client.get_workflow_handle(team_workflow_id(summary.entry_id, run_id))
        try:
            status: TeamStatus = await handle.query(
                TEAM_STATUS_QUERY,
                result_type=TeamStatus,
                # A closed workflow would be replayed by its worker to answer; the
                # server turns the Query away instead, and the router's outcome follows.
                reject_condition=QueryRejectCondition.NOT_OPEN,
                rpc_timeout=READ_TIMEOUT,
            )
        except Exception:
            # Live status is best effort; the router's record stays authoritative.
            return None
        return status

    def view(
        self,
        run_id: str,
        summary: RunSummary,
        status: str,
        *,
        created_at: datetime | None = None,
        closed_at: datetime | None = None,
    ) -> Run:
        settings = self._backend.settings
        ui = settings.temporal_ui_url.rstrip("/")
        team_id = quote(team_workflow_id(summary.entry_id, run_id), safe="")
        return Run.model_validate(
            {
                "id": run_id,
                "workflow": summary.entry_id,
                "title": summary.title,
                "environment": summary.environment,
                "status": status,
                "requester": summary.requester.subject,
                "requester_name": summary.requester.name,
                "client": summary.client,
                "inputs": summary.inputs,
                "created_at": created_at,
                "closed_at": closed_at if status in FINAL_STATUSES else None,
                "links": RunLinks(
                    self=f"{settings.gateway_url}/api/runs/{run_id}",
                    temporal_ui=f"{ui}/namespaces/{settings.gateway_namespace}/workflows/{run_id}",
                    team_temporal_ui=f"{ui}/namespaces/{summary.namespace}/workflows/{team_id}",
                ),
            }
        )


def _team_start(description: WorkflowExecutionDescription) -> PendingNexusOperationInfo | None:
    """The router's operation starting the team workflow, while the server holds it pending."""
    pending = description.raw_description.pending_nexus_operations
    return next((op for op in pending if op.service == WORKFLOWS_SERVICE), None)


async def _abnormal_outcome(
    handle: WorkflowHandle[Any, Any], status: WorkflowExecutionStatus | None
) -> RunOutcome:
    message = f"The run ended as {status.name.lower() if status else 'unknown'}"
    try:
        await handle.result(rpc_timeout=READ_TIMEOUT)
    except WorkflowFailureError as err:
        message = str(err.cause) or message
    except RPCError as err:
        raise unavailable(err, "reading the run") from err
    if status == WorkflowExecutionStatus.CANCELED:
        return RunOutcome(status="cancelled", error=RunError(type="Cancelled", message=message))
    return RunOutcome(status="failed", error=RunError(type="RunFailed", message=message))


def _with_outcome(view: Run, outcome: RunOutcome) -> Run:
    view.result = outcome.result
    view.error = outcome.error
    view.approvals = _approvals(outcome.approvals)
    view.cancelled_by = outcome.cancelled_by.subject if outcome.cancelled_by else None
    return view


def _approvals(records: list[ApprovalRecord]) -> list[Approval]:
    return [
        Approval(
            approver=record.approver.subject,
            name=record.approver.name,
            approve=record.approve,
            comment=record.comment,
            at=record.at,
        )
        for record in records
    ]
