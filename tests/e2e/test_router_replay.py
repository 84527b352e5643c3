"""The router's histories replay under Temporal's default, strict workflow sandbox.

The router worker passes the router's own module through the sandbox, which
spares a re-import per run but also the sandbox's checks on what that module
calls (clocks, randomness). Replaying real histories under the default
restrictions keeps those checks, and proves the router deterministic across
every path a run can take: approved, cancelled, dry run.
"""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from foyer.router.worker import ROUTER_RUNNER
from foyer.router.workflow import RouterWorkflow
from tests.e2e.conftest import Api, delete_inputs


async def finished(api: Api, run_id: str, status: str) -> None:
    done = await api.wait_status(run_id, "succeeded", "failed", "rejected", "cancelled")
    assert done["status"] == status, done


async def finished_runs(api: Api, table: str) -> list[str]:
    """A cancelled run, a dry run and an approved one, in that order, all on ``table``."""
    cancelled = await api.submit("ada", delete_inputs(table))
    await api.wait_status(cancelled["id"], "awaiting_approval")
    response = await api.call("ada", "POST", f"/api/runs/{cancelled['id']}/cancel", json={})
    assert response.status_code == 200, response.text
    await finished(api, cancelled["id"], "cancelled")

    dry = await api.submit("ada", delete_inputs(table, dry_run=True))
    await finished(api, dry["id"], "succeeded")

    approved = await api.submit("ada", delete_inputs(table))
    await api.wait_status(approved["id"], "awaiting_approval")
    response = await api.call("grace", "POST", f"/api/runs/{approved['id']}/approve", json={})
    assert response.status_code == 200, response.text
    await finished(api, approved["id"], "succeeded")
    return [cancelled["id"], dry["id"], approved["id"]]


async def test_router_histories_replay_in_the_strict_sandbox(
    api: Api, table: str, gateway_client: Client
) -> None:
    run_ids = await finished_runs(api, table)
    histories = [
        await gateway_client.get_workflow_handle(run_id).fetch_history() for run_id in run_ids
    ]

    for runner in (SandboxedWorkflowRunner(), ROUTER_RUNNER):
        replayer = Replayer(
            workflows=[RouterWorkflow],
            workflow_runner=runner,
            data_converter=pydantic_data_converter,
        )
        for history in histories:
            # Raises on any non-determinism or restricted call.
            await replayer.replay_workflow(history)
