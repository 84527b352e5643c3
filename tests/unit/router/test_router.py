"""The RouterWorkflow on a local dev server with a real Nexus endpoint and team handler."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.client import WorkflowUpdateFailedError

from foyer.contracts import DecisionCommand, DecisionResult, RunRecord
from foyer.contracts.models import MAX_TEXT_LENGTH
from foyer.contracts.names import ROUTER_DECIDE_UPDATE, ROUTER_RECORD_QUERY
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
