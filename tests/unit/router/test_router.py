"""The RouterWorkflow on a local dev server with a real Nexus endpoint and team handler."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy

from foyer.contracts import DecisionCommand, DecisionResult, RunOutcome, RunRecord
from foyer.contracts.models import MAX_TEXT_LENGTH
from foyer.contracts.names import (
    ROUTER_DECIDE_UPDATE,
    ROUTER_RECORD_QUERY,
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
    new_run_id,
)
from foyer.runs.request import router_request
from foyer.signing import decision_content
from foyer.testing import FoyerEnvironment
from tests.testing.team import ADA, BOB, greeters_environment


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FoyerEnvironment]:
    async with greeters_environment(tmp_path_factory.mktemp("catalog")) as environment:
        yield environment


async def test_the_record_holds_what_the_team_verified(env: FoyerEnvironment) -> None:
    run = await env.submit("greet", {"name": "Ada", "dry_run": False}, requester=ADA)
    await run.wait_for("awaiting_approval")
    record = await run.handle.query(ROUTER_RECORD_QUERY, result_type=RunRecord)
    assert record.started and record.approvals == []

    answer = await run.approve(BOB, "fine")

    assert answer.accepted and answer.by == BOB
    outcome = await run.outcome()
    assert outcome.status == "succeeded"
    assert [(a.approver.subject, a.comment) for a in outcome.approvals] == [
        ("bob@example.com", "fine")
    ]


async def test_a_decision_waiting_for_a_start_that_fails_is_refused(
    env: FoyerEnvironment,
) -> None:
    # Sent with the start itself (update-with-start), the decision is admitted before
    # the router asks the team; the team turns the start down (inputs its schema
    # rejects), so the decision gets a definite refusal and nothing is relayed.
    entry = env.entry("greet")
    run_id = new_run_id()
    request = router_request(
        entry,
        entry.target(None),
        {"name": 42, "dry_run": False},
        ADA,
        run_id=run_id,
        signer=env.signer,
        client="test",
        requested_at=datetime.now(UTC),
    )
    token = env.signer.sign(
        BOB, act="decide", run=run_id, entry=entry.id, content=decision_content(True, "", "d")
    )
    start = WithStartWorkflowOperation(
        ROUTER_WORKFLOW,
        request,
        id=run_id,
        task_queue=ROUTER_TASK_QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        execution_timeout=timedelta(minutes=5),
        result_type=RunOutcome,
    )

    answer = await env.client().execute_update_with_start_workflow(
        ROUTER_DECIDE_UPDATE,
        DecisionCommand(approve=True, token=token, decision_id="d"),
        start_workflow_operation=start,
        id="d",
        result_type=DecisionResult,
    )

    assert (answer.accepted, answer.reason) == (False, "This run's workflow never started")
    outcome = await (await start.workflow_handle()).result()
    assert outcome.status == "failed" and outcome.error is not None
    assert outcome.error.type == "Refused"
    assert outcome.approvals == []


async def test_a_decision_id_is_answered_once(env: FoyerEnvironment) -> None:
    run = await env.submit("greet", {"name": "Eve", "dry_run": False}, requester=ADA)
    await run.wait_for("awaiting_approval")
    token = env.signer.sign(
        ADA, act="decide", run=run.run_id, entry="greet", content=decision_content(True, "", "d")
    )
    command = DecisionCommand(approve=True, token=token, decision_id="d")

    first = await run.handle.execute_update(
        ROUTER_DECIDE_UPDATE, command, id="d", result_type=DecisionResult
    )
    again = await run.handle.execute_update(
        ROUTER_DECIDE_UPDATE, command, id="d", result_type=DecisionResult
    )

    assert not first.accepted and first.code == "forbidden"
    assert again == first
    record = await run.handle.query(ROUTER_RECORD_QUERY, result_type=RunRecord)
    assert record.refused == 1
    assert record.decisions["d"].reason == first.reason
    await run.cancel(ADA)


async def test_overlong_comments_never_reach_the_history(env: FoyerEnvironment) -> None:
    run = await env.submit("greet", {"name": "Max", "dry_run": False}, requester=ADA)
    await run.wait_for("awaiting_approval")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await run.approve(BOB, "x" * (MAX_TEXT_LENGTH + 1))
    assert "limited to 2000 characters" in str(refused.value.cause)
    await run.cancel(ADA)
    assert (await run.outcome()).status == "cancelled"


async def test_a_decision_sent_with_the_start_waits_for_it(env: FoyerEnvironment) -> None:
    # Sent before the router can have learnt that the team workflow started: the
    # Update waits for the start's answer instead of being refused.
    run = await env.submit("greet", {"name": "Joy", "dry_run": False}, requester=ADA)

    answer = await run.approve(BOB, "at once")

    assert answer.accepted, answer.reason
    assert (await run.outcome()).status == "succeeded"
