"""Runs: submit, read, decide and cancel, by talking to RouterWorkflows.

The gateway writes only into its own namespace: it starts a RouterWorkflow and
sends it Updates. It reads a team workflow's status query for live progress,
which is the only thing it ever asks of a team namespace.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from temporalio.client import (
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import Entry, InputError, validate_inputs
from foyer.contracts import (
    CancelCommand,
    DecisionCommand,
    DecisionResult,
    Identity,
    RouterRequest,
    RunError,
    RunOutcome,
    RunRecord,
    TeamStatus,
)
from foyer.contracts.models import FINAL_STATUSES
from foyer.contracts.names import (
    ROUTER_CANCEL_UPDATE,
    ROUTER_DECIDE_UPDATE,
    ROUTER_RECORD_QUERY,
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
    TEAM_STATUS_QUERY,
    idempotent_run_id,
    new_run_id,
    run_search_attributes,
    team_workflow_id,
)
from foyer.gateway.errors import Conflict, Forbidden, GatewayError, RunNotFound, Unavailable
from foyer.gateway.schemas import ApprovalPublic, RunCreate, RunLinks, RunPublic
from foyer.gateway.state import GatewayState
from foyer.identities import User
from foyer.signing import digest

MEMO_KEY = "foyer"
ROUTER_MARGIN = timedelta(minutes=5)
"""Extra time the router gets past its Nexus operation, to record a timeout."""


class RunSummary(BaseModel):
    """What the gateway keeps in the router's memo: a run's request, readable without replay."""

    entry_id: str
    title: str = ""
    environment: str
    namespace: str
    inputs: dict[str, Any]
    requester: Identity
    client: str = ""
    digest: str


class RunService:
    """The gateway's operations on runs, for one authenticated caller."""

    def __init__(self, state: GatewayState, user: User, client_name: str) -> None:
        self._state = state
        self._user = user
        self._client_name = client_name

    async def submit(self, body: RunCreate, idempotency_key: str | None) -> tuple[RunPublic, bool]:
        """Start a run; returns it and whether it was created by this call."""
        state = self._state
        entry = state.catalog.get(body.workflow)
        identity = self._user.identity()
        if not entry.may_run(identity.groups):
            groups = ", ".join(entry.access.run) or "none"
            raise Forbidden(f"You may not run `{entry.id}`; it is open to groups: {groups}")
        target = entry.target(body.environment)
        errors = validate_inputs(entry, body.inputs)
        if errors:
            raise InputError(errors)
        await state.require_endpoint(target.nexus_endpoint)

        run_id = (
            idempotent_run_id(identity.subject, idempotency_key)
            if idempotency_key
            else new_run_id()
        )
        content = {"environment": target.environment, "inputs": body.inputs}
        summary = RunSummary(
            entry_id=entry.id,
            title=entry.title,
            environment=target.environment,
            namespace=target.namespace,
            inputs=body.inputs,
            requester=identity,
            client=self._client_name,
            digest=digest({"entry": entry.id, **content}),
        )
        run_timeout = entry.approval.timeout_seconds + entry.timeout_seconds
        request = RouterRequest(
            run_id=run_id,
            entry_id=entry.id,
            workflow_type=entry.workflow_type,
            namespace=target.namespace,
            endpoint=target.nexus_endpoint,
            environment=target.environment,
            inputs=body.inputs,
            requester=identity,
            token=state.signer.sign(
                identity, act="start", run=run_id, entry=entry.id, content=content
            ),
            client=self._client_name,
            requested_at=datetime.now(UTC),
            timeout_seconds=run_timeout,
        )
        client = await state.client()
        try:
            await client.start_workflow(
                ROUTER_WORKFLOW,
                request,
                id=run_id,
                task_queue=ROUTER_TASK_QUEUE,
                execution_timeout=timedelta(seconds=run_timeout) + ROUTER_MARGIN,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                memo={MEMO_KEY: summary.model_dump(mode="json")},
                search_attributes=run_search_attributes(identity.subject, entry.id),
            )
        except WorkflowAlreadyStartedError:
            if (await self._summary(client.get_workflow_handle(run_id))).digest != summary.digest:
                raise Conflict(
                    "This Idempotency-Key was already used for a different request",
                    field="Idempotency-Key",
                ) from None
            return await self.get(run_id), False
        except RPCError as err:
            raise _unavailable(err) from err
        return self._view(run_id, summary, "pending", created_at=request.requested_at), True

    async def get(self, run_id: str) -> RunPublic:
        client = await self._state.client()
        handle = client.get_workflow_handle(run_id, result_type=RunOutcome)
        description = await self._describe(handle)
        summary = await _summary_of(description)
        created, closed = description.start_time, description.close_time
        if description.status == WorkflowExecutionStatus.RUNNING:
            record = await self._query_record(handle)
            if record is None:
                return self._view(run_id, summary, "pending", created_at=created)
            return await self._live_view(run_id, summary, record, created)
        if description.status == WorkflowExecutionStatus.COMPLETED:
            outcome = await handle.result()
        else:
            outcome = await self._abnormal_outcome(handle, description.status)
        view = self._view(run_id, summary, outcome.status, created_at=created, closed_at=closed)
        return _with_outcome(view, outcome)

    async def decide(self, run_id: str, approve: bool, comment: str) -> RunPublic:
        handle, summary, entry = await self._open(run_id)
        identity = self._user.identity()
        if not entry.may_approve(identity.groups):
            groups = ", ".join(entry.access.approve) or "none"
            raise Forbidden(f"You are not in an approver group of `{entry.id}` ({groups})")
        if identity.subject == summary.requester.subject and not entry.approval.allow_self_approval:
            raise Forbidden(
                f"You requested this run, and `{entry.id}` does not allow self-approval"
            )
        token = self._state.signer.sign(
            identity,
            act="decide",
            run=run_id,
            entry=entry.id,
            content={"approve": approve, "comment": comment},
        )
        command = DecisionCommand(approve=approve, comment=comment, approver=identity, token=token)
        await self._update(handle, ROUTER_DECIDE_UPDATE, command)
        return await self.get(run_id)

    async def cancel(self, run_id: str, reason: str) -> RunPublic:
        handle, summary, entry = await self._open(run_id)
        identity = self._user.identity()
        if identity.subject != summary.requester.subject and not entry.may_approve(identity.groups):
            raise Forbidden("Only the requester or an approver may cancel this run")
        token = self._state.signer.sign(
            identity, act="cancel", run=run_id, entry=entry.id, content={"reason": reason}
        )
        await self._update(
            handle, ROUTER_CANCEL_UPDATE, CancelCommand(reason=reason, by=identity, token=token)
        )
        return await self.get(run_id)

    async def _open(self, run_id: str) -> tuple[WorkflowHandle[Any, Any], RunSummary, Entry]:
        handle = (await self._state.client()).get_workflow_handle(run_id)
        summary = await self._summary(handle)
        return handle, summary, self._state.catalog.get(summary.entry_id)

    async def _update(self, handle: WorkflowHandle[Any, Any], update: str, arg: Any) -> None:
        try:
            result = await handle.execute_update(update, arg, result_type=DecisionResult)
        except WorkflowUpdateFailedError as err:
            if isinstance(err.cause, ApplicationError):
                raise Conflict(err.cause.message) from err
            raise Unavailable(f"The owning team did not answer: {err.cause}") from err
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise Conflict("This run has already finished") from err
            raise _unavailable(err) from err
        if not result.accepted:
            error: type[GatewayError] = Forbidden if result.code == "forbidden" else Conflict
            raise error(result.reason)

    async def _describe(self, handle: WorkflowHandle[Any, Any]) -> WorkflowExecutionDescription:
        try:
            return await handle.describe()
        except RPCError as err:
            if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                raise RunNotFound(handle.id) from err
            raise _unavailable(err) from err

    async def _summary(self, handle: WorkflowHandle[Any, Any]) -> RunSummary:
        return await _summary_of(await self._describe(handle))

    async def _query_record(self, handle: WorkflowHandle[Any, Any]) -> RunRecord | None:
        try:
            return await handle.query(ROUTER_RECORD_QUERY, result_type=RunRecord)
        except RPCError:
            # The router has not run its first task yet, or its worker is down.
            return None

    async def _live_view(
        self, run_id: str, summary: RunSummary, record: RunRecord, created: datetime | None
    ) -> RunPublic:
        if record.outcome is not None:
            # Finished; the router is only draining its last Update handlers.
            view = self._view(run_id, summary, record.outcome.status, created_at=created)
            return _with_outcome(view, record.outcome)
        team: TeamStatus | None = None
        status = "pending"
        if record.started:
            team = await self._team_status(summary, run_id)
            status = team.phase if team else "running"
        view = self._view(run_id, summary, status, created_at=created)
        view.approvals = [_approval(a) for a in record.approvals]
        view.cancelled_by = record.cancelled_by.subject if record.cancelled_by else None
        if team is not None:
            view.message = team.message
            view.plan = team.plan
            view.approvals = [_approval(a) for a in team.approvals if a.approve] or view.approvals
        return view

    async def _team_status(self, summary: RunSummary, run_id: str) -> TeamStatus | None:
        client = await self._state.team_client(summary.namespace)
        handle = client.get_workflow_handle(team_workflow_id(summary.entry_id, run_id))
        try:
            return await handle.query(TEAM_STATUS_QUERY, result_type=TeamStatus)
        except Exception:
            # Live status is best effort; the router's record stays authoritative.
            return None

    @staticmethod
    async def _abnormal_outcome(
        handle: WorkflowHandle[Any, Any], status: WorkflowExecutionStatus | None
    ) -> RunOutcome:
        message = f"The run ended as {status.name.lower() if status else 'unknown'}"
        try:
            await handle.result()
        except WorkflowFailureError as err:
            message = str(err.cause) or message
        if status == WorkflowExecutionStatus.CANCELED:
            return RunOutcome(status="cancelled", error=RunError(type="Cancelled", message=message))
        return RunOutcome(status="failed", error=RunError(type="RunFailed", message=message))

    def _view(
        self,
        run_id: str,
        summary: RunSummary,
        status: str,
        *,
        created_at: datetime | None = None,
        closed_at: datetime | None = None,
    ) -> RunPublic:
        settings = self._state.settings
        ui = settings.temporal_ui_url.rstrip("/")
        team_id = quote(team_workflow_id(summary.entry_id, run_id), safe="")
        return RunPublic.model_validate(
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


async def _summary_of(description: WorkflowExecutionDescription) -> RunSummary:
    raw = None
    if description.workflow_type == ROUTER_WORKFLOW:
        raw = await description.memo_value(MEMO_KEY, default=None)
    if raw is None:
        raise RunNotFound(description.id)
    return RunSummary.model_validate(raw)


def _with_outcome(view: RunPublic, outcome: RunOutcome) -> RunPublic:
    view.result = outcome.result
    view.error = outcome.error
    view.approvals = [_approval(a) for a in outcome.approvals]
    view.cancelled_by = outcome.cancelled_by.subject if outcome.cancelled_by else None
    return view


def _approval(record: Any) -> ApprovalPublic:
    return ApprovalPublic(
        approver=record.approver.subject,
        name=record.approver.name,
        approve=record.approve,
        comment=record.comment,
        at=record.at,
    )


def _unavailable(err: RPCError) -> Unavailable:
    return Unavailable(f"Temporal did not answer: {err.message}")
