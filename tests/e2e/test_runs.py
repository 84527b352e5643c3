"""A run's whole life through the real stack: HTTP → router → Nexus → team workflow."""

from __future__ import annotations

from typing import Any

from foyer.contracts.names import REQUESTER_ATTRIBUTE, team_workflow_id
from foyer.devstack import Stack
from tests.e2e.conftest import (
    ENTRY,
    Api,
    delete_inputs,
    dynamodb_of,
    new_table,
    table_exists,
)
from tests.polling import eventually


async def test_approved_run_deletes_the_table(
    api: Api, table: str, dynamodb: Any, team_client: Any
) -> None:
    created = await api.submit("ada", delete_inputs(table))
    assert created["status"] == "pending"
    assert created["requester"] == "ada@example.com"

    waiting = await api.wait_status(created["id"], "awaiting_approval")
    assert waiting["plan"]["item_count"] == 3
    assert waiting["plan"]["exists"] is True
    assert table_exists(dynamodb, table)

    response = await api.call(
        "grace", "POST", f"/api/runs/{created['id']}/approve", json={"comment": "go"}
    )
    assert response.status_code == 200, response.text

    done = await api.wait_status(created["id"], "succeeded", "failed")
    assert done["status"] == "succeeded", done
    assert done["result"]["deleted"] is True
    assert done["result"]["approved_by"] == ["grace@example.com"]
    assert [a["approver"] for a in done["approvals"]] == ["grace@example.com"]
    assert not table_exists(dynamodb, table)

    team = team_client.get_workflow_handle(team_workflow_id(ENTRY, created["id"]))
    attributes = (await team.describe()).typed_search_attributes
    assert attributes.get(REQUESTER_ATTRIBUTE) == "ada@example.com"


async def test_rejected_run_leaves_the_table(api: Api, table: str, dynamodb: Any) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    response = await api.call(
        "grace", "POST", f"/api/runs/{run['id']}/reject", json={"comment": "still in use"}
    )
    assert response.status_code == 200, response.text

    done = await api.wait_status(run["id"], "rejected", "failed", "succeeded")
    assert done["status"] == "rejected"
    assert done["error"]["message"] == "Rejected by Grace Hopper: still in use"
    assert table_exists(dynamodb, table)


async def test_requester_cancels_while_awaiting_approval(
    api: Api, table: str, dynamodb: Any
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    response = await api.call(
        "ada", "POST", f"/api/runs/{run['id']}/cancel", json={"reason": "wrong table"}
    )
    assert response.status_code == 200, response.text

    done = await api.wait_status(run["id"], "cancelled", "failed", "succeeded")
    assert done["status"] == "cancelled"
    assert done["cancelled_by"] == "ada@example.com"
    assert table_exists(dynamodb, table)


async def test_dry_run_plans_without_approval_and_deletes_nothing(
    api: Api, table: str, dynamodb: Any
) -> None:
    run = await api.submit("ada", delete_inputs(table, dry_run=True))

    done = await api.wait_status(run["id"], "succeeded", "failed")
    assert done["status"] == "succeeded", done
    assert done["result"]["dry_run"] is True
    assert done["result"]["deleted"] is False
    assert done["result"]["plan"]["actions"] == [
        f"Delete table {table} in us-east-1 and its 3 items"
    ]
    assert table_exists(dynamodb, table)


async def test_table_deleted_after_the_inventory_read_it_fails_the_plan_cleanly(
    api: Api, table: str, dynamodb: Any
) -> None:
    dynamodb.delete_table(TableName=table)
    inputs = delete_inputs(table, dry_run=True)
    response = await api.call(
        "ada", "POST", "/api/runs", json={"workflow": ENTRY, "inputs": inputs}
    )
    if response.status_code == 422:
        # The inventory read DynamoDB again in between, and the gateway saw it: also right.
        assert response.json()["errors"][0]["field"] == "inputs.table_name"
        return
    assert response.status_code == 201, response.text

    done = await api.wait_status(response.json()["id"], "failed", "succeeded")
    assert done["error"]["type"] in ("TableNotFound", "Refused"), done
    assert table in done["error"]["message"]


async def test_idempotent_resubmission_returns_the_same_run(api: Api, table: str) -> None:
    inputs = delete_inputs(table, dry_run=True)
    headers = {"Idempotency-Key": f"retry-{table}"}
    first = await api.submit("ada", inputs, headers=headers)

    again = await api.call(
        "ada", "POST", "/api/runs", json={"workflow": ENTRY, "inputs": inputs}, headers=headers
    )
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]

    different = await api.call(
        "ada",
        "POST",
        "/api/runs",
        json={"workflow": ENTRY, "inputs": {**inputs, "reason": "Another reason entirely"}},
        headers=headers,
    )
    assert different.status_code == 409
    assert different.json() == {
        "errors": [
            {
                "field": "Idempotency-Key",
                "message": "This Idempotency-Key was already used for a different request",
            }
        ]
    }


async def test_same_key_from_another_user_is_another_run(api: Api, table: str) -> None:
    inputs = delete_inputs(table, dry_run=True)
    headers = {"Idempotency-Key": f"shared-{table}"}
    ada = await api.submit("ada", inputs, headers=headers)
    grace = await api.submit("grace", inputs, headers=headers)
    assert ada["id"] != grace["id"]


async def test_run_survives_killed_workers(faults: Stack) -> None:
    api = Api.of(faults)
    aws = dynamodb_of(faults)
    table = await new_table(faults, aws)
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    for name in ("cloud-ops-worker", "router-worker", "nexus-cloud-ops"):
        faults.kill(name)
        faults.start(name)

    # Until the restarted workers pick the run up, the answer is "not known
    # yet" (503); the same decision, retried, gets the definite one.
    response = await eventually(
        lambda: api.call("grace", "POST", f"/api/runs/{run['id']}/approve"),
        lambda response: response.status_code != 503,
        timeout=60,
        what="a definite answer to the approval",
    )
    assert response.status_code == 200, response.text
    done = await api.wait_status(run["id"], "succeeded", "failed", timeout=60)
    assert done["status"] == "succeeded", done
    assert not table_exists(aws, table)


async def test_a_started_run_is_read_from_its_team_while_the_router_worker_is_down(
    faults: Stack,
) -> None:
    api = Api.of(faults)
    aws = dynamodb_of(faults)
    table = await new_table(faults, aws)
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    faults.stop("router-worker")
    try:
        # The server says the team start is done; the team's status says the rest,
        # without asking the router's record through a worker that is not there.
        seen = await api.run(run["id"])
    finally:
        faults.start("router-worker")

    assert seen["status"] == "awaiting_approval", seen
    assert seen["plan"]["item_count"] == 3
