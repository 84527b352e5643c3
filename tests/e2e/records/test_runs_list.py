"""The ledger through two real gateways: listing, freshness, the inbox, pinned reads."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError

from foyer.contracts import TeamStatus
from foyer.contracts.names import (
    MEMO_KEY,
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
    TEAM_STATUS_QUERY,
    team_workflow_id,
)
from tests.e2e.attacks import router_input
from tests.e2e.conftest import (
    ENTRY,
    Api,
    create_table,
    delete_inputs,
    refresh_tables,
    table_exists,
)
from tests.e2e.records.conftest import Deployment
from tests.polling import eventually

FRESHNESS = 3.0
"""Seconds the list may lag the workflows in these tests: the reconciler reads a changing
live run once the ledger's state of it is a second old, waking every half second; the
rest is slack for a loaded test machine."""


async def listed(api: Api, user: str, **params: Any) -> dict[str, Any]:
    response = await api.call(user, "GET", "/api/runs", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def listed_status(api: Api, run_id: str, requester: str = "ada@example.com") -> str | None:
    page = await listed(api, "root", requester=requester, limit=200)
    return next((item["status"] for item in page["items"] if item["id"] == run_id), None)


async def test_runs_are_listed_newest_first_with_cursors_that_work_on_any_gateway(
    deployment: Deployment, table: str, dynamodb: Any, stack: Any
) -> None:
    first, second = deployment.api(0), deployment.api(1)
    for n in range(3):  # table names are checked against cloud-ops' inventory
        create_table(dynamodb, f"{table}-{n}")
    await refresh_tables(stack)
    mine = [
        await first.submit("linus", delete_inputs(f"{table}-{n}", dry_run=True)) for n in range(3)
    ]
    other = await second.submit("grace", delete_inputs(table, dry_run=True))

    page = await listed(second, "linus", requester="me", limit=2)
    rest = await listed(first, "linus", requester="me", limit=2, cursor=page["next_cursor"])

    newest = [run["id"] for run in reversed(mine)]
    assert [item["id"] for item in page["items"]] == newest[:2]
    assert rest["items"][0]["id"] == newest[2]
    assert other["id"] not in {item["id"] for item in page["items"] + rest["items"]}
    item = page["items"][0]
    assert set(item) == {
        "id", "workflow", "title", "environment", "status", "requester", "created_at", "closed_at"
    }  # fmt: skip
    assert (item["workflow"], item["title"], item["environment"], item["requester"]) == (
        ENTRY, "Delete a DynamoDB table", "prod", "linus@example.com"
    )  # fmt: skip


async def test_filters_and_their_errors(deployment: Deployment, table: str) -> None:
    api = deployment.api(0)
    run = await api.submit("ada", delete_inputs(table, dry_run=True))
    await api.wait_status(run["id"], "succeeded")

    done = await listed(api, "ada", requester="me", status=["succeeded", "failed"], workflow=ENTRY)
    later = await listed(api, "ada", created_after="2999-01-01T00:00:00Z")
    other_env = await listed(api, "ada", requester="me", environment="stage")

    assert run["id"] in [item["id"] for item in done["items"]]
    assert all(item["status"] in {"succeeded", "failed"} for item in done["items"])
    assert later["items"] == []
    assert run["id"] not in [item["id"] for item in other_env["items"]]
    for params, field in [
        ({"status": "done"}, "status"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": 201}, "limit"),
    ]:
        response = await api.call("ada", "GET", "/api/runs", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field


async def test_listed_status_follows_the_workflows_within_seconds(
    deployment: Deployment, table: str, team_client: Client, gateway_client: Client
) -> None:
    api = deployment.api(0)
    run = await api.submit("ada", delete_inputs(table))
    team = team_client.get_workflow_handle(team_workflow_id(ENTRY, run["id"]))

    async def phase() -> str:
        try:
            status: TeamStatus = await team.query(TEAM_STATUS_QUERY, result_type=TeamStatus)
        except Exception:
            return "pending"
        return status.phase

    await eventually(phase, lambda p: p == "awaiting_approval", timeout=30, what="awaiting")
    waiting_since = time.monotonic()
    await eventually(
        lambda: listed_status(deployment.api(1), run["id"]),
        lambda status: status == "awaiting_approval",
        timeout=FRESHNESS,
        what="awaiting_approval in the list",
    )
    lag_waiting = time.monotonic() - waiting_since

    # Approved through Temporal's side door? No: through the other gateway, which
    # records what it did; the run then finishes on its own, seen by the reconciler.
    approved = await deployment.api(1).call("grace", "POST", f"/api/runs/{run['id']}/approve")
    assert approved.status_code == 200, approved.text
    router = gateway_client.get_workflow_handle(run["id"])

    async def router_status() -> WorkflowExecutionStatus | None:
        return (await router.describe()).status

    await eventually(
        router_status, lambda s: s == WorkflowExecutionStatus.COMPLETED, timeout=30, what="done"
    )
    done_since = time.monotonic()
    await eventually(
        lambda: listed_status(api, run["id"]),
        lambda status: status == "succeeded",
        timeout=FRESHNESS,
        what="succeeded in the list",
    )
    lag_done = time.monotonic() - done_since
    print(f"list lag: awaiting_approval {lag_waiting:.2f}s, succeeded {lag_done:.2f}s")


async def test_the_inbox_holds_what_the_caller_may_decide(
    deployment: Deployment, table: str
) -> None:
    api = deployment.api(0)
    run = await api.submit("ada", delete_inputs(table))

    async def inbox(user: str) -> dict[str, Any]:
        response = await deployment.api(1).call(user, "GET", "/api/approvals")
        assert response.status_code == 200, response.text
        return {item["id"]: item for item in response.json()["items"]}

    waiting = await eventually(
        lambda: inbox("grace"), lambda items: run["id"] in items, timeout=30, what="in the inbox"
    )
    item = waiting[run["id"]]
    assert item["plan"]["item_count"] == 3
    assert (item["requester"], item["requester_name"]) == ("ada@example.com", "Ada Lovelace")
    assert item["inputs"]["table_name"] == table
    assert run["id"] in await inbox("linus")
    assert run["id"] not in await inbox("ada")  # not an approver
    count = await deployment.api(0).call("grace", "GET", "/api/approvals/count")
    assert count.json()["count"] >= 1

    approved = await api.call("grace", "POST", f"/api/runs/{run['id']}/approve")
    assert approved.status_code == 200, approved.text

    assert run["id"] not in await inbox("grace")  # decided by her: gone at once
    await eventually(
        lambda: inbox("linus"), lambda items: run["id"] not in items, timeout=FRESHNESS
    )


async def test_a_revived_rejected_run_is_still_the_rejected_run(
    deployment: Deployment, table: str, gateway_client: Client, dynamodb: Any
) -> None:
    api = deployment.api(0)
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    rejected = await api.call(
        "grace", "POST", f"/api/runs/{run['id']}/reject", json={"comment": "no"}
    )
    assert rejected.status_code == 200, rejected.text
    await api.wait_status(run["id"], "rejected")
    recorded = deployment.stores.ledger.get(run["id"])
    assert recorded is not None

    replayed = await router_input(gateway_client, run["id"])
    memo = await (await gateway_client.get_workflow_handle(run["id"]).describe()).memo_value(
        MEMO_KEY
    )
    forged = {**memo, "requester": {"subject": "mallory@example.com"}, "mac": "0" * 64}
    # The newest execution under the run's id is now the forged one, running.
    revived = await gateway_client.start_workflow(
        ROUTER_WORKFLOW,
        replayed,
        id=run["id"],
        task_queue=ROUTER_TASK_QUEUE,
        memo={MEMO_KEY: forged},
    )
    try:
        for gateway in (0, 1):
            shown = await deployment.api(gateway).run(run["id"])
            assert (shown["status"], shown["requester"]) == ("rejected", "ada@example.com")
            assert shown["error"]["message"] == "Rejected by Grace Hopper: no"
        assert await listed_status(api, run["id"]) == "rejected"
        after = deployment.stores.ledger.get(run["id"])
        assert after is not None
        assert (after.execution_run_id, after.status, after.requester, after.closed_at) == (
            recorded.execution_run_id, "rejected", "ada@example.com", recorded.closed_at
        )  # fmt: skip
        assert revived.result_run_id != recorded.execution_run_id
    finally:
        with contextlib.suppress(RPCError):  # refused by the team side already
            await revived.terminate("test over")
    assert table_exists(dynamodb, table)


async def test_runs_the_gateway_never_recorded_do_not_exist(
    deployment: Deployment, gateway_client: Client, stack: Any
) -> None:
    # A run accepted by another gateway deployment (the stack's own, another database)
    # is a genuine router with the gateway's seal, yet not in this ledger.
    from tests.e2e.conftest import Api as StackApi

    keys = {u["email"].split("@")[0]: u["api_key"] for u in stack.credentials["users"]}
    elsewhere = StackApi(stack.credentials["gateway_url"], keys)
    foreign = await elsewhere.submit("ada", delete_inputs("orders", dry_run=True))

    response = await deployment.api(0).call("ada", "GET", f"/api/runs/{foreign['id']}")
    assert response.status_code == 404, response.text
