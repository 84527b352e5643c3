"""How a live run is read: which Queries its router's description leaves to ask.

The router execution and the team workflow are stand-ins that answer a Query
or refuse it the way the Temporal client does; the description is a real one,
built from the server's message. The same paths run against a real server in
tests/e2e/test_runs.py; here each case, including the moments too short to
catch on a stack, is set up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from temporalio.api.enums.v1 import PendingNexusOperationState, WorkflowExecutionStatus
from temporalio.api.workflow.v1 import PendingNexusOperationInfo
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionResponse
from temporalio.client import WorkflowExecutionDescription, WorkflowQueryFailedError
from temporalio.converter import DataConverter

from foyer.contracts import ApprovalRecord, Identity, RunOutcome, RunRecord, RunSummary, TeamStatus
from foyer.contracts.models import RouterRequest
from foyer.contracts.names import (
    CONTROL_SERVICE,
    ROUTER_RECORD_QUERY,
    TEAM_STATUS_QUERY,
    WORKFLOWS_SERVICE,
)
from foyer.runs.backend import Backend
from foyer.runs.reading import Pinned, RunReader
from foyer.settings import Settings

RUN = "run-0001"
ADA = Identity(subject="ada@example.com", name="Ada Lovelace")
GRACE = Identity(subject="grace@example.com", name="Grace Hopper", groups=["dba"])
State = PendingNexusOperationState


class Refused(Exception):
    """What a workflow's Query raised: closed (NOT_OPEN), no worker, or a timeout."""


@dataclass
class Workflow:
    """A workflow handle that answers its one Query, or raises, and counts the asks."""

    answer: Any = None
    error: BaseException | None = None
    asked: list[str] = field(default_factory=list)

    async def query(self, name: str, **_: Any) -> Any:
        self.asked.append(name)
        if self.error is not None:
            raise self.error
        return self.answer


@dataclass
class TeamClient:
    workflow: Workflow

    def get_workflow_handle(self, _workflow_id: str) -> Workflow:
        return self.workflow


class TeamBackend(Backend):
    def __init__(self, team: Workflow) -> None:
        super().__init__(Settings())
        self._team = team

    async def team_client(self, namespace: str) -> Any:
        return TeamClient(self._team)


async def description(*operations: tuple[str, State.ValueType]) -> WorkflowExecutionDescription:
    """A running router's description with the given (service, state) Nexus operations."""
    raw = DescribeWorkflowExecutionResponse()
    info = raw.workflow_execution_info
    info.execution.workflow_id = RUN
    info.execution.run_id = "exec-1"
    info.type.name = "FoyerRouter"
    info.status = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
    info.start_time.FromDatetime(datetime(2026, 11, 21, tzinfo=UTC))
    raw.pending_nexus_operations.extend(
        PendingNexusOperationInfo(endpoint="cloud-ops", service=service, state=state)
        for service, state in operations
    )
    return await WorkflowExecutionDescription._from_raw_description(
        raw, namespace="gateway", converter=DataConverter.default
    )


SUMMARY = RunSummary(
    entry_id="delete-dynamodb-table",
    environment="prod",
    namespace="cloud-ops",
    inputs={"table_name": "orders"},
    requester=ADA,
    digest="d" * 64,
)
RECORD = RunRecord(
    request=RouterRequest(
        run_id=RUN,
        entry_id="delete-dynamodb-table",
        workflow_type="DeleteDynamoDBTable",
        namespace="cloud-ops",
        endpoint="cloud-ops",
        environment="prod",
        inputs={"table_name": "orders"},
        requester=ADA,
        token="t",
    )
)
APPROVED = ApprovalRecord(approver=GRACE, approve=True, comment="ok")


async def read(
    router: Workflow, team: Workflow, *operations: tuple[str, State.ValueType]
) -> tuple[str, Any]:
    pinned = Pinned(cast(Any, router), await description(*operations), SUMMARY, cast(Any, None))
    run = await RunReader(TeamBackend(team)).read(pinned)
    return run.status, run


@pytest.mark.parametrize(
    "state",
    [
        State.PENDING_NEXUS_OPERATION_STATE_SCHEDULED,
        State.PENDING_NEXUS_OPERATION_STATE_BACKING_OFF,
    ],
)
async def test_a_team_start_not_yet_answered_is_pending_without_a_query(
    state: State.ValueType,
) -> None:
    router, team = Workflow(error=Refused()), Workflow(error=Refused())

    status, _ = await read(router, team, (WORKFLOWS_SERVICE, state))

    assert status == "pending"
    assert (router.asked, team.asked) == ([], [])


async def test_a_started_run_is_read_from_its_team_alone() -> None:
    router = Workflow(answer=RECORD)
    team = Workflow(
        answer=TeamStatus(phase="awaiting_approval", message="Approve?", plan={"items": 3})
    )

    status, run = await read(
        router, team, (WORKFLOWS_SERVICE, State.PENDING_NEXUS_OPERATION_STATE_STARTED)
    )

    assert (status, run.message, run.plan) == ("awaiting_approval", "Approve?", {"items": 3})
    assert (router.asked, team.asked) == ([], [TEAM_STATUS_QUERY])


async def test_only_the_start_operation_counts_not_a_decision_in_flight() -> None:
    router = Workflow(answer=RECORD.model_copy(update={"started": True}))
    team = Workflow(error=Refused())

    status, _ = await read(
        router, team, (CONTROL_SERVICE, State.PENDING_NEXUS_OPERATION_STATE_SCHEDULED)
    )

    assert status == "running"
    assert (router.asked, team.asked) == ([ROUTER_RECORD_QUERY], [])


async def test_a_team_workflow_closed_before_the_router_heard_falls_back_to_the_record() -> None:
    # The team workflow has closed, so the server turns its Query away (NOT_OPEN),
    # while the router's description still shows the operation started.
    outcome = RunOutcome(status="succeeded", result={"deleted": True}, approvals=[APPROVED])
    router = Workflow(answer=RECORD.model_copy(update={"started": True, "outcome": outcome}))
    team = Workflow(error=Refused("closed"))

    status, run = await read(
        router, team, (WORKFLOWS_SERVICE, State.PENDING_NEXUS_OPERATION_STATE_STARTED)
    )

    assert (status, run.result) == ("succeeded", {"deleted": True})
    assert [a.approver for a in run.approvals] == [GRACE.subject]
    assert (router.asked, team.asked) == ([ROUTER_RECORD_QUERY], [TEAM_STATUS_QUERY])


async def test_a_started_run_nobody_can_describe_is_running_not_pending() -> None:
    router = Workflow(error=WorkflowQueryFailedError("no worker"))
    team = Workflow(error=Refused("closed"))

    status, _ = await read(
        router, team, (WORKFLOWS_SERVICE, State.PENDING_NEXUS_OPERATION_STATE_STARTED)
    )

    assert status == "running"


async def test_before_the_first_router_task_a_run_is_pending() -> None:
    router = Workflow(error=WorkflowQueryFailedError("no worker"))
    team = Workflow(error=Refused())

    status, _ = await read(router, team)

    assert status == "pending"
    assert team.asked == []


async def test_after_the_start_is_answered_the_record_gives_progress() -> None:
    router = Workflow(answer=RECORD.model_copy(update={"started": True, "approvals": [APPROVED]}))
    team = Workflow(error=Refused())

    status, run = await read(router, team)

    assert status == "running"
    assert [(a.approver, a.approve) for a in run.approvals] == [(GRACE.subject, True)]
    assert team.asked == []
