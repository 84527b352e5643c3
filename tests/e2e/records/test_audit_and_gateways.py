"""The audit log, two gateways acting as one, restarts and an outdated schema, for real."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from foyer.db import Database, upgrade
from foyer.devstack import Stack
from tests.databases import Databases
from tests.e2e.conftest import ENTRY, delete_inputs
from tests.e2e.records.conftest import Deployment
from tests.e2e.records.processes import Gateway, foyer
from tests.e2e.records.test_runs_list import FRESHNESS, listed_status
from tests.polling import eventually


async def audit(deployment: Deployment, user: str = "root", **params: Any) -> Any:
    response = await deployment.api(1).call(user, "GET", "/api/audit", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_action_is_audited_with_who_what_where(
    deployment: Deployment, table: str
) -> None:
    api = deployment.api(0)
    wrong = {"workflow": ENTRY, "inputs": {**delete_inputs(table), "region": "mars"}}
    bad = await api.call(
        "ada", "POST", "/api/runs", json=wrong, headers={"X-Foyer-Client": "portal"}
    )
    assert bad.status_code == 422
    run = await api.submit("ada", delete_inputs(table), headers={"X-Foyer-Client": "cli"})
    await api.wait_status(run["id"], "awaiting_approval")
    own = await api.call("ada", "POST", f"/api/runs/{run['id']}/approve")
    assert own.status_code == 403
    path = f"/api/runs/{run['id']}/approve"
    approved = await deployment.api(1).call("grace", "POST", path, json={"comment": "fine"})
    assert approved.status_code == 200, approved.text

    records = (await audit(deployment, target=run["id"]))["items"]
    assert [(r["action"], r["actor"], r["outcome"]) for r in reversed(records)] == [
        ("run.submitted", "ada@example.com", "ok"),
        ("decision.refused", "ada@example.com", "refused"),
        ("run.approved", "grace@example.com", "ok"),
    ]
    submitted = records[-1]
    assert set(submitted) == {
        "seq", "at", "actor", "action", "target", "client", "source",
        "outcome", "detail", "prev_hash", "hash",
    }  # fmt: skip
    assert (submitted["client"], submitted["source"]) == ("cli", "127.0.0.1")
    assert submitted["detail"]["workflow"] == ENTRY
    assert "is not in an approver group" in records[1]["detail"]["reason"]
    assert records[0]["detail"]["comment"] == "fine"

    refused = (await audit(deployment, action="run.refused", actor="ada@example.com"))["items"]
    assert refused[0]["client"] == "portal"
    assert "region" in refused[0]["detail"]["reason"]

    forbidden = await deployment.api(0).call("ada", "GET", "/api/audit")
    assert forbidden.status_code == 403


async def test_audit_pages_and_the_cli_verifies_and_exports_the_chain(
    deployment: Deployment,
) -> None:
    first = await audit(deployment, limit=2)
    second = await audit(deployment, limit=2, cursor=first["next_cursor"])
    assert [r["seq"] for r in first["items"] + second["items"]] == sorted(
        (r["seq"] for r in first["items"] + second["items"]), reverse=True
    )
    assert first["items"][1]["prev_hash"] == second["items"][0]["hash"]

    verified = foyer(deployment.env, "audit", "verify")
    exported = foyer(deployment.env, "audit", "export", "--format", "jsonl")
    as_csv = foyer(deployment.env, "audit", "export", "--format", "csv", "--since", "1h")

    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("The audit log is intact: ")
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [r["seq"] for r in lines] == list(range(1, len(lines) + 1))
    assert as_csv.stdout.splitlines()[0] == (
        "seq,at,actor,action,target,client,source,outcome,detail,prev_hash,hash"
    )


async def test_two_gateways_behave_as_one(deployment: Deployment, table: str) -> None:
    first, second = deployment.api(0), deployment.api(1)
    key = {"Idempotency-Key": f"same-{table}"}
    dry = {"workflow": ENTRY, "inputs": delete_inputs(table, dry_run=True)}
    real = {"workflow": ENTRY, "inputs": delete_inputs(table)}
    created = await first.call("ada", "POST", "/api/runs", headers=key, json=dry)
    again = await second.call("ada", "POST", "/api/runs", headers=key, json=dry)
    other = await second.call("ada", "POST", "/api/runs", headers=key, json=real)
    assert (created.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json()["id"] == created.json()["id"]

    async def submit(n: int) -> str:
        api = (first, second)[n % 2]
        run = await api.submit("linus", delete_inputs(table, dry_run=True))
        return str(run["id"])

    ids = await asyncio.gather(*(submit(n) for n in range(8)))
    for run_id in ids:
        assert deployment.stores.ledger.get(run_id) is not None
    await eventually(
        lambda: asyncio.gather(
            *(listed_status(second, run_id, "linus@example.com") for run_id in ids)
        ),
        lambda statuses: set(statuses) == {"succeeded"},
        timeout=30,
        what="every run succeeded in the list",
    )
    result = deployment.stores.audit.verify()
    assert result.intact, result.problem


async def test_the_list_is_right_after_the_gateways_and_the_router_worker_restarted(
    deployment: Deployment, table: str, stack: Stack, gateway_client: Client
) -> None:
    stack.stop("router-worker")
    try:
        run = await deployment.api(0).submit("ada", delete_inputs(table, dry_run=True))
        with ThreadPoolExecutor() as pool:
            list(pool.map(Gateway.stop, deployment.gateways))
    finally:
        stack.start("router-worker")
    try:
        await eventually(
            lambda: gateway_client.get_workflow_handle(run["id"]).describe(),
            lambda described: described.status == WorkflowExecutionStatus.COMPLETED,
            timeout=30,
            what="the run finished while no gateway ran",
        )
        recorded = deployment.stores.ledger.get(run["id"])
        assert recorded is not None and recorded.status == "pending"
    finally:
        for gateway in deployment.gateways:
            gateway.start()
        with ThreadPoolExecutor() as pool:
            list(pool.map(Gateway.wait_ready, deployment.gateways))

    await eventually(
        lambda: listed_status(deployment.api(1), run["id"]),
        lambda status: status == "succeeded",
        timeout=FRESHNESS,
        what="succeeded in the list",
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_gateway_refuses_an_outdated_schema_and_says_what_to_run(
    databases: Databases, stack: Stack, kind: str
) -> None:
    url = databases.empty(kind)
    env = {**stack.env, "FOYER_DATABASE_URL": url}

    refused = foyer(env, "gateway")
    upgraded = foyer(env, "db", "upgrade")

    assert refused.returncode == 1
    assert refused.stderr.endswith("has no Foyer schema yet; run `foyer db upgrade`\n")
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.endswith("from schema none to 0001\n")
    database = Database(url)
    assert upgrade(database)[0] == "0001"
    database.dispose()
