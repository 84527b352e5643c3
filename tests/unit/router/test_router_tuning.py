"""What the router path's tuning relies on, on a local dev server.

The router worker passes the router's own module through the sandbox, which
spares a re-import per run but also the sandbox's checks on what that module
calls (clocks, randomness). Replaying real histories under the default
restrictions keeps those checks, and proves the router deterministic across
the ways a run ends: approved, cancelled, dry run.

The team's Nexus handler asks for eager start: where the team's workflow
worker shares its client, the team workflow's first task comes back with the
start.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from foyer.router.worker import ROUTER_RUNNER
from foyer.router.workflow import RouterWorkflow
from foyer.testing import FoyerEnvironment, Run
from tests.testing.team import ADA, BOB, greeters_environment


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FoyerEnvironment]:
    async with greeters_environment(tmp_path_factory.mktemp("catalog")) as environment:
        yield environment


async def finished_runs(env: FoyerEnvironment) -> list[Run]:
    approved = await env.submit("greet", {"name": "Ada", "dry_run": False}, requester=ADA)
    cancelled = await env.submit("greet", {"name": "Eve", "dry_run": False}, requester=ADA)
    dry = await env.submit("greet", {"name": "Max", "dry_run": True}, requester=ADA)
    await approved.wait_for("awaiting_approval")
    assert (await approved.approve(BOB, "fine")).accepted
    await cancelled.wait_for("awaiting_approval")
    assert (await cancelled.cancel(ADA)).accepted
    statuses = [(await run.outcome()).status for run in (approved, cancelled, dry)]
    assert statuses == ["succeeded", "cancelled", "succeeded"]
    return [approved, cancelled, dry]


async def test_router_histories_replay_in_the_strict_sandbox(env: FoyerEnvironment) -> None:
    histories = [await run.handle.fetch_history() for run in await finished_runs(env)]

    for runner in (SandboxedWorkflowRunner(), ROUTER_RUNNER):
        replayer = Replayer(
            workflows=[RouterWorkflow],
            workflow_runner=runner,
            data_converter=pydantic_data_converter,
        )
        for history in histories:
            # Raises on any non-determinism or restricted call.
            await replayer.replay_workflow(history)


async def test_the_handler_starts_the_team_workflow_eagerly_beside_its_worker(
    env: FoyerEnvironment,
) -> None:
    run = await env.submit("greet", {"name": "Ann", "dry_run": True}, requester=ADA)
    assert (await run.outcome()).status == "succeeded"

    started = (await run.team_handle().fetch_history()).events[0]

    assert started.workflow_execution_started_event_attributes.eager_execution_accepted
