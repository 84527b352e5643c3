"""The approvals helper inside a real workflow: decisions, single-use tokens, cancellation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import CancelledError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from foyer.contracts import (
    ApprovalPolicy,
    Cancellation,
    Decision,
    DecisionResult,
    Identity,
    TeamStatus,
    WorkflowRequest,
)
from foyer.contracts.names import TEAM_CANCEL_UPDATE, TEAM_DECIDE_UPDATE, TEAM_STATUS_QUERY
from foyer.devstack._config import temporal_binary
from tests.unit.publish.two_approvals import TwoApprovals

ADA = Identity(subject="ada@example.com", groups=["eng"])
GRACE = Identity(subject="grace@example.com", groups=["ops"])
LINUS = Identity(subject="linus@example.com", groups=["ops"])
RELEASE = asyncio.Event()


@activity.defn
async def irreversible_work() -> str:
    # Blocks until the test lets it finish, so a cancel can arrive during it.
    await RELEASE.wait()
    return "done"


@activity.defn
async def slow_plan() -> str:
    await asyncio.sleep(3600)
    return "never"


@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=pydantic_data_converter,
    )
    yield environment
    await environment.shutdown()


@pytest.fixture
async def client(env: WorkflowEnvironment) -> AsyncIterator[Client]:
    queue = f"approvals-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[TwoApprovals],
        activities=[irreversible_work, slow_plan],
    ):
        env.client.queue = queue  # type: ignore[attr-defined]
        yield env.client


async def start(client: Client, **inputs: object) -> object:
    request = WorkflowRequest(
        run_id=f"run-{uuid.uuid4().hex[:20]}",
        entry_id="two",
        environment="prod",
        inputs=dict(inputs),
        requester=ADA,
        approval=ApprovalPolicy(min_approvers=2, approver_groups=["ops"]),
    )
    handle = await client.start_workflow(
        "TwoApprovals",
        request,
        id=f"two-{request.run_id}",
        task_queue=client.queue,  # type: ignore[attr-defined]
        result_type=str,
    )
    for _ in range(200):
        status = await handle.query(TEAM_STATUS_QUERY, result_type=TeamStatus)
        if status.phase == "awaiting_approval" or inputs:
            return handle
        await asyncio.sleep(0.02)
    raise AssertionError("never awaited approval")


async def decide(handle: object, who: Identity, token: str, update_id: str) -> DecisionResult:
    return await handle.execute_update(  # type: ignore[attr-defined, no-any-return]
        TEAM_DECIDE_UPDATE,
        Decision(approver=who, approve=True, token_digest=token),
        id=update_id,
        result_type=DecisionResult,
    )


async def test_a_token_counts_once(client: Client) -> None:
    handle = await start(client)

    first = await decide(handle, GRACE, "token-1", "u-1")
    assert first.accepted and first.by == GRACE
    assert await decide(handle, GRACE, "token-1", "u-1") == first  # a retry: first outcome
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await decide(handle, LINUS, "token-1", "u-2")  # the same token, relabelled
    assert "already used" in str(refused.value.cause)
    with pytest.raises(WorkflowUpdateFailedError) as twice:
        await decide(handle, GRACE, "token-2", "u-3")
    assert "already decided" in str(twice.value.cause)

    second = await decide(handle, LINUS, "token-3", "u-4")
    assert [a.approver.subject for a in second.approvals or []] == [
        "grace@example.com",
        "linus@example.com",
    ]
    RELEASE.set()
    assert await handle.result() == "done"  # type: ignore[attr-defined]


async def test_cancel_during_an_irreversible_step_is_refused(client: Client) -> None:
    RELEASE.clear()
    handle = await start(client)
    await decide(handle, GRACE, "a", "u-1")
    await decide(handle, LINUS, "b", "u-2")
    for _ in range(200):
        status = await handle.query(TEAM_STATUS_QUERY, result_type=TeamStatus)  # type: ignore[attr-defined]
        if status.irreversible:
            break
        await asyncio.sleep(0.02)

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(  # type: ignore[attr-defined]
            TEAM_CANCEL_UPDATE, Cancellation(by=ADA), result_type=DecisionResult
        )
    assert refused.value.cause.message == "too late: doing the thing"  # type: ignore[attr-defined]
    RELEASE.set()
    assert await handle.result() == "done"  # type: ignore[attr-defined]


async def test_an_accepted_cancel_interrupts_the_run(client: Client) -> None:
    handle = await start(client, plan_forever=True)

    result = await handle.execute_update(  # type: ignore[attr-defined]
        TEAM_CANCEL_UPDATE, Cancellation(by=ADA, reason="not needed"), result_type=DecisionResult
    )

    assert result.accepted and result.by == ADA
    with pytest.raises(WorkflowFailureError) as ended:
        await handle.result()  # type: ignore[attr-defined]
    # Interrupted at its activity: the run ends as cancelled, not as a failure.
    assert isinstance(ended.value.cause.__cause__, CancelledError)
