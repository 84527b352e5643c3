"""The trust model, attacked from inside the gateway namespace.

Anyone who can write to the gateway namespace can start a RouterWorkflow or
send it Updates without going through the gateway. The team side must refuse
whatever the gateway would not have signed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from temporalio.client import Client

from foyer.contracts import DecisionCommand, DecisionResult, Identity, RouterRequest, RunOutcome
from foyer.contracts.names import (
    ENTRY_ATTRIBUTE,
    REQUESTER_ATTRIBUTE,
    ROUTER_DECIDE_UPDATE,
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
    new_run_id,
    team_workflow_id,
)
from foyer.devstack import Stack
from foyer.signing import Signer, decision_content, load_private_key
from foyer.temporal import GATEWAY_IDENTITY
from tests.e2e.conftest import ENTRY, Api, delete_inputs, table_exists

ADA = Identity(subject="ada@example.com", name="Ada Lovelace", groups=["engineering"])


def gateway_signer(stack: Stack) -> Signer:
    return Signer(load_private_key(stack.settings.signing_key_file))


def forged_request(run_id: str, inputs: dict[str, Any], token: str) -> RouterRequest:
    return RouterRequest(
        run_id=run_id,
        entry_id=ENTRY,
        workflow_type="DeleteDynamoDBTable",
        namespace="cloud-ops",
        endpoint="cloud-ops",
        environment="prod",
        inputs=inputs,
        requester=ADA,
        token=token,
        requested_at=datetime.now(UTC),
        timeout_seconds=600,
    )


async def run_router(client: Client, request: RouterRequest) -> RunOutcome:
    return await client.execute_workflow(
        ROUTER_WORKFLOW,
        request,
        id=request.run_id,
        task_queue=ROUTER_TASK_QUEUE,
        result_type=RunOutcome,
    )


async def test_team_side_refuses_invalid_inputs_even_when_signed(
    stack: Stack, gateway_client: Client
) -> None:
    inputs = {**delete_inputs("x"), "region": "mars-1"}
    run_id = new_run_id()
    token = gateway_signer(stack).sign(
        ADA, act="start", run=run_id, entry=ENTRY, content={"environment": "prod", "inputs": inputs}
    )

    outcome = await run_router(gateway_client, forged_request(run_id, inputs, token))

    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.type == "Refused"
    assert "region: must be one of" in outcome.error.message
    assert "table_name: must match pattern" in outcome.error.message


async def test_team_side_refuses_a_token_from_another_key(
    stack: Stack, gateway_client: Client, table: str, dynamodb: Any
) -> None:
    inputs = delete_inputs(table)
    run_id = new_run_id()
    token = Signer(Ed25519PrivateKey.generate()).sign(
        ADA, act="start", run=run_id, entry=ENTRY, content={"environment": "prod", "inputs": inputs}
    )

    outcome = await run_router(gateway_client, forged_request(run_id, inputs, token))

    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "signed by unknown key" in outcome.error.message
    assert table_exists(dynamodb, table)


async def test_team_side_refuses_a_token_replayed_with_other_inputs(
    stack: Stack, gateway_client: Client, table: str
) -> None:
    run_id = new_run_id()
    signed_for = delete_inputs(table, dry_run=True)
    token = gateway_signer(stack).sign(
        ADA,
        act="start",
        run=run_id,
        entry=ENTRY,
        content={"environment": "prod", "inputs": signed_for},
    )

    outcome = await run_router(gateway_client, forged_request(run_id, delete_inputs(table), token))

    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "identity token was issued for another digest" in outcome.error.message


async def test_team_side_refuses_a_token_for_another_run(
    stack: Stack, gateway_client: Client, table: str
) -> None:
    inputs = delete_inputs(table, dry_run=True)
    token = gateway_signer(stack).sign(
        ADA,
        act="start",
        run=new_run_id(),
        entry=ENTRY,
        content={"environment": "prod", "inputs": inputs},
    )

    outcome = await run_router(gateway_client, forged_request(new_run_id(), inputs, token))

    assert outcome.error is not None
    assert "identity token was issued for another run" in outcome.error.message


async def test_team_side_refuses_a_forged_approval(
    stack: Stack, api: Api, gateway_client: Client, table: str
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    router = gateway_client.get_workflow_handle(run["id"])
    grace = Identity(subject="grace@example.com", name="Grace Hopper", groups=["cloud-ops"])
    content = decision_content(True, "", "d-1")

    forged = Signer(Ed25519PrivateKey.generate()).sign(
        grace, act="decide", run=run["id"], entry=ENTRY, content=content
    )
    result = await router.execute_update(
        ROUTER_DECIDE_UPDATE,
        DecisionCommand(approve=True, token=forged, decision_id="d-1"),
        result_type=DecisionResult,
    )
    assert not result.accepted
    assert result.code == "forbidden"

    # A genuine signature over a non-approver, sent past the gateway's own check.
    signer = gateway_signer(stack)
    as_ada = signer.sign(ADA, act="decide", run=run["id"], entry=ENTRY, content=content)
    result = await router.execute_update(
        ROUTER_DECIDE_UPDATE,
        DecisionCommand(approve=True, token=as_ada, decision_id="d-1"),
        result_type=DecisionResult,
    )
    assert not result.accepted
    assert result.reason == "ada@example.com is not in an approver group (cloud-ops)"
    assert (await api.run(run["id"]))["status"] == "awaiting_approval"


async def test_team_side_refuses_self_approval_past_the_gateway(
    stack: Stack, api: Api, gateway_client: Client, table: str
) -> None:
    run = await api.submit("grace", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    grace = Identity(
        subject="grace@example.com", name="Grace Hopper", groups=["engineering", "cloud-ops"]
    )
    token = gateway_signer(stack).sign(
        grace, act="decide", run=run["id"], entry=ENTRY, content=decision_content(True, "", "d-1")
    )

    result = await gateway_client.get_workflow_handle(run["id"]).execute_update(
        ROUTER_DECIDE_UPDATE,
        DecisionCommand(approve=True, token=token, decision_id="d-1"),
        result_type=DecisionResult,
    )

    assert not result.accepted
    assert result.reason == "grace@example.com requested this run and may not approve it"


async def test_every_write_into_the_team_namespace_crosses_nexus(
    api: Api, table: str, team_client: Client, gateway_client: Client
) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    await api.call("grace", "POST", f"/api/runs/{run['id']}/approve")
    await api.wait_status(run["id"], "succeeded")

    team = team_client.get_workflow_handle(team_workflow_id(ENTRY, run["id"]))
    events = [event async for event in team.fetch_history_events()]
    started = events[0].workflow_execution_started_event_attributes
    assert started.completion_callbacks, "the team workflow was not started by a Nexus operation"
    callers = [link.workflow_event for cb in started.completion_callbacks for link in cb.links]
    assert [(c.namespace, c.workflow_id) for c in callers] == [("gateway", run["id"])]
    identities = {
        attributes.identity
        for event in events
        for attributes in _event_attributes(event)
        if getattr(attributes, "identity", "")
    }
    assert GATEWAY_IDENTITY not in identities

    router = gateway_client.get_workflow_handle(run["id"])
    router_events = [event async for event in router.fetch_history_events()]
    assert router_events[0].workflow_execution_started_event_attributes.identity == (
        GATEWAY_IDENTITY
    )
    for handle in (team, router):
        attributes = (await handle.describe()).typed_search_attributes
        assert attributes.get(REQUESTER_ATTRIBUTE) == "ada@example.com"
        assert attributes.get(ENTRY_ATTRIBUTE) == ENTRY


def _event_attributes(event: Any) -> list[Any]:
    found = []
    for field, value in event.ListFields():
        if field.name.endswith("_attributes"):
            found.append(value)
            request = getattr(value, "accepted_request", None)
            if request is not None:
                found.append(request.meta)
    return found
