"""Attacks by an insider who can read and write the gateway namespace, replayed for real.

Each test performs one attack from the trust model and checks that nothing
the owning team did not authorise happens, and that the API tells the truth.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError

from foyer.contracts import (
    DecisionCommand,
    DecisionResult,
    Identity,
    RouterRequest,
    RunOutcome,
)
from foyer.contracts.models import MAX_REFUSED_DECISIONS, MAX_TEXT_LENGTH
from foyer.contracts.names import (
    MEMO_KEY,
    ROUTER_DECIDE_UPDATE,
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
)
from foyer.devstack import Stack
from foyer.signing import decision_content
from tests.e2e.attacks import gateway_signer, router_input, update_inputs
from tests.e2e.conftest import (
    ENTRY,
    Api,
    create_table,
    delete_inputs,
    dynamodb_of,
    new_table,
    refresh_tables,
    table_exists,
)
from tests.polling import eventually

GRACE = Identity(subject="grace@example.com", name="Grace Hopper", groups=["cloud-ops"])


async def restart_router(client: Client, request: RouterRequest, memo: Any = None) -> RunOutcome:
    """Start a new router execution under an existing run id, as the gateway never would."""
    handle = await client.start_workflow(
        ROUTER_WORKFLOW,
        request,
        id=request.run_id,
        task_queue=ROUTER_TASK_QUEUE,
        memo={MEMO_KEY: memo} if memo is not None else None,
        result_type=RunOutcome,
    )
    return await handle.result()


async def test_replayed_start_is_refused_and_deletes_nothing(
    stack: Stack, api: Api, gateway_client: Client, table: str, dynamodb: Any
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    await api.call("grace", "POST", f"/api/runs/{run['id']}/approve")
    await api.wait_status(run["id"], "succeeded")
    create_table(dynamodb, table)
    await refresh_tables(stack)

    replayed = await router_input(gateway_client, run["id"])
    outcome = await restart_router(gateway_client, replayed)

    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.type == "Refused"
    assert "has already started its `delete-dynamodb-table` workflow once" in outcome.error.message
    assert table_exists(dynamodb, table)
    assert (await api.run(run["id"]))["status"] == "succeeded"


async def test_replayed_decision_counts_once_for_the_verified_approver(
    stack: Stack, api: Api, gateway_client: Client, table: str, dynamodb: Any
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    # A token as the gateway would sign it for Grace, sent with an approver
    # field naming someone else: the command has no say in who decided.
    token = gateway_signer(stack).sign(
        GRACE, act="decide", run=run["id"], entry=ENTRY, content=decision_content(True, "", "d-1")
    )
    relabelled = {"approve": True, "token": token, "decision_id": "d-1", "approver": "mallory"}
    router = gateway_client.get_workflow_handle(run["id"])
    first = await router.execute_update(
        ROUTER_DECIDE_UPDATE, relabelled, id="d-1", result_type=DecisionResult
    )
    assert first.accepted
    assert first.by is not None and first.by.subject == "grace@example.com"
    done = await api.wait_status(run["id"], "succeeded")
    assert [a["approver"] for a in done["approvals"]] == ["grace@example.com"]

    # The captured decision, replayed under its own or another Update id.
    create_table(dynamodb, table)
    captured = await update_inputs(gateway_client, run["id"], ROUTER_DECIDE_UPDATE, DecisionCommand)
    repeat = await router.execute_update(
        ROUTER_DECIDE_UPDATE, captured[0], id="d-1", result_type=DecisionResult
    )
    assert repeat == first  # the first outcome, not a second decision
    with pytest.raises(Exception, match="already completed"):
        await router.execute_update(
            ROUTER_DECIDE_UPDATE, captured[0], id="d-2", result_type=DecisionResult
        )
    # Retried through the gateway, Grace's decision still gets its first answer.
    final = await api.run(run["id"])
    assert [a["approver"] for a in final["approvals"]] == ["grace@example.com"]
    assert table_exists(dynamodb, table)


async def test_revived_rejected_run_still_shows_the_rejection(
    api: Api, gateway_client: Client, table: str, dynamodb: Any
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    response = await api.call(
        "grace", "POST", f"/api/runs/{run['id']}/reject", json={"comment": "still in use"}
    )
    assert response.status_code == 200, response.text
    await api.wait_status(run["id"], "rejected")

    replayed = await router_input(gateway_client, run["id"])
    genuine = await (await gateway_client.get_workflow_handle(run["id"]).describe()).memo_value(
        MEMO_KEY
    )
    for memo in ({**genuine, "requester": {"subject": "mallory@example.com"}}, genuine):
        outcome = await restart_router(gateway_client, replayed, memo)
        assert outcome.status == "failed"  # refused by the team side

        shown = await api.run(run["id"])
        assert shown["status"] == "rejected"
        assert shown["requester"] == "ada@example.com"
        assert shown["error"]["message"] == "Rejected by Grace Hopper: still in use"
    assert table_exists(dynamodb, table)


async def test_a_run_id_cannot_be_squatted(api: Api, gateway_client: Client, table: str) -> None:
    # Before keyed ids, sha256(requester, key) told an insider the id in advance.
    key = f"squat-{table}"
    guessed = "run-" + hashlib.sha256(f"ada@example.com\n{key}".encode()).hexdigest()[:20]
    run = await api.submit(
        "ada", delete_inputs(table, dry_run=True), headers={"Idempotency-Key": key}
    )
    assert run["id"] != guessed
    assert run["id"].startswith("run-") and len(run["id"]) == 24


async def test_cancel_racing_approval_reports_what_happened(
    stack: Stack, api: Api, table: str, dynamodb: Any
) -> None:
    tables = [f"{table}-{i}" for i in range(12)]
    for name in tables:
        create_table(dynamodb, name)
    await refresh_tables(stack)
    runs = [await api.submit("ada", delete_inputs(name)) for name in tables]
    for run in runs:
        await api.wait_status(run["id"], "awaiting_approval")

    async def race(run: dict[str, Any]) -> tuple[int, int, str]:
        approve, cancel = await asyncio.gather(
            api.call("grace", "POST", f"/api/runs/{run['id']}/approve"),
            api.call("ada", "POST", f"/api/runs/{run['id']}/cancel", json={"reason": "race"}),
        )
        return approve.status_code, cancel.status_code, cancel.text

    answers = await asyncio.gather(*(race(run) for run in runs))
    for run, name, (approved, cancelled, cancel_text) in zip(runs, tables, answers, strict=True):
        final = await api.wait_status(run["id"], "succeeded", "cancelled", "failed", timeout=60)
        deleted = not table_exists(dynamodb, name)
        if final["status"] == "cancelled":
            assert not deleted, final
            assert cancelled == 200, cancel_text
            assert final["cancelled_by"] == "ada@example.com"
        else:
            assert final["status"] == "succeeded", final
            assert deleted
            assert approved == 200
            assert cancelled == 409, cancel_text
            assert final["cancelled_by"] is None


async def test_cancel_after_the_irreversible_step_is_refused(
    api: Api, table: str, dynamodb: Any
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    await api.call("grace", "POST", f"/api/runs/{run['id']}/approve")
    await api.wait_status(run["id"], "succeeded")

    response = await api.call("ada", "POST", f"/api/runs/{run['id']}/cancel")

    assert response.status_code == 409
    assert "finished" in response.json()["errors"][0]["message"]
    assert not table_exists(dynamodb, table)


async def test_long_comments_are_refused_before_the_router(api: Api, table: str) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    response = await api.call(
        "grace",
        "POST",
        f"/api/runs/{run['id']}/reject",
        json={"comment": "x" * (MAX_TEXT_LENGTH + 1)},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "comment"
    assert (await api.run(run["id"]))["status"] == "awaiting_approval"


async def test_refused_decisions_do_not_grow_the_router_history(
    stack: Stack, api: Api, gateway_client: Client, table: str
) -> None:
    run = await api.submit("grace", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    router = gateway_client.get_workflow_handle(run["id"])
    signer = gateway_signer(stack)
    comment = "y" * MAX_TEXT_LENGTH
    refused = 0
    turned_away = 0
    events_at_limit = 0
    for i in range(MAX_REFUSED_DECISIONS + 5):
        token = signer.sign(
            GRACE,  # the requester: the team refuses self-approval every time
            act="decide",
            run=run["id"],
            entry=ENTRY,
            content=decision_content(True, comment, f"d-{i}"),
        )
        command = DecisionCommand(approve=True, comment=comment, token=token, decision_id=f"d-{i}")
        try:
            result = await router.execute_update(
                ROUTER_DECIDE_UPDATE, command, id=f"d-{i}", result_type=DecisionResult
            )
            assert not result.accepted
            refused += 1
        except WorkflowUpdateFailedError as err:
            assert "takes no more" in str(err.cause)
            turned_away += 1
        if refused == MAX_REFUSED_DECISIONS and not events_at_limit:
            events_at_limit = len((await router.fetch_history()).events)
    assert (refused, turned_away) == (MAX_REFUSED_DECISIONS, 5)
    # Turned away by the validator: nothing more was written.
    assert len((await router.fetch_history()).events) == events_at_limit
    assert (await api.run(run["id"]))["status"] == "awaiting_approval"


async def test_approval_while_the_team_is_down_is_answered_exactly_once(faults: Stack) -> None:
    api = Api.of(faults)
    dynamodb = dynamodb_of(faults)
    table = await new_table(faults, dynamodb)
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    handler = next(name for name in faults.processes if name.startswith("nexus-cloud-ops"))
    faults.kill(handler)

    path = f"/api/runs/{run['id']}/approve"
    first = await api.call("grace", "POST", path, json={"comment": "go"})
    assert first.status_code == 503, first.text
    assert first.headers["Retry-After"] == "2"
    assert (await api.run(run["id"]))["approvals"] == []

    faults.start(handler)
    answer = await eventually(
        lambda: api.call("grace", "POST", path, json={"comment": "go"}),
        lambda response: response.status_code != 503,
        timeout=60,
        what="a definite answer",
    )
    assert answer.status_code == 200, answer.text
    done = await api.wait_status(run["id"], "succeeded", "failed", timeout=60)
    assert done["status"] == "succeeded", done
    assert [a["approver"] for a in done["approvals"]] == ["grace@example.com"]
    assert not table_exists(dynamodb, table)
    # Retried once more after the end: still the first answer.
    late = await api.call("grace", "POST", path, json={"comment": "go"})
    assert late.status_code == 200, late.text
