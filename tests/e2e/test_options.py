"""Option fields through the real stack: cloud-ops' inventory of DynamoDB tables, kept by
its own workflow, searched by the gateway, and checked on both sides of a run."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client

from foyer.contracts import Identity
from foyer.contracts.names import new_run_id
from foyer.devstack import Stack
from foyer.signing import start_content
from foyer.temporal import GATEWAY_IDENTITY
from tests.e2e.conftest import ENTRY, Api, delete_inputs, demo_catalog, refresh_tables
from tests.e2e.test_trust import forged_request, gateway_signer, run_router
from tests.polling import eventually


@pytest.fixture(autouse=True)
async def inventory_read(stack: Stack) -> None:
    """The inventory has read DynamoDB at least once since the stack started."""
    await refresh_tables(stack)


ADA = Identity(subject="ada@example.com", name="Ada Lovelace", groups=["engineering"])
TABLES = "/api/options/dynamodb-tables"
SANDBOX = {"region": "us-east-1", "account": "sandbox"}


async def search(api: Api, **params: Any) -> dict[str, Any]:
    response = await api.call("ada", "GET", TABLES, params={**SANDBOX, **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_sources_are_listed_with_their_params_and_fields(api: Api) -> None:
    response = await api.call("ada", "GET", "/api/options")

    assert response.status_code == 200
    (source,) = [s for s in response.json()["sources"] if s["name"] == "dynamodb-tables"]
    assert source["title"] == "DynamoDB tables"
    assert source["params"] == ["region", "account"]
    assert source["used_by"] == [{"entry": ENTRY, "field": "table_name"}]
    assert source["refresh_seconds"] == 30


async def test_search_ranks_prefixes_first_and_marks_what_matched(api: Api) -> None:
    body = await search(api, q="ORD")

    labels = [item["label"] for item in body["items"]]
    assert labels[:2] == ["orders", "orders-archive"]
    assert body["items"][0]["match"] == [[0, 3]]
    assert body["matched"] >= 2
    assert body["total"] >= body["matched"]
    assert body["source"] == "dynamodb-tables"
    assert body["stale_after"] > body["refreshed_at"]


async def test_params_narrow_the_options(api: Api) -> None:
    everywhere = await api.call("ada", "GET", TABLES, params={"limit": 100})
    sandbox = await search(api, limit=100)

    assert everywhere.status_code == 200
    assert sandbox["total"] < everywhere.json()["total"]
    assert {item["description"] for item in sandbox["items"]} == {"sandbox · us-east-1"}
    nowhere = await search(api, region="mars-1")
    assert (nowhere["total"], nowhere["matched"], nowhere["items"]) == (0, 0, [])


async def test_a_new_table_becomes_an_option_once_the_team_reads_again(
    api: Api, table: str
) -> None:
    fragment = table.split("-")[1][2:8]

    body = await eventually(
        lambda: search(api, q=fragment),
        lambda body: [item["value"] for item in body["items"]] == [table],
        timeout=30,
        what=f"{table} in the options",
    )
    (item,) = body["items"]
    ((start, end),) = item["match"]
    assert item["label"][start:end] == fragment
    assert item["description"] == "sandbox · us-east-1"


async def test_search_errors_name_the_parameter(api: Api) -> None:
    unknown = await api.call("ada", "GET", "/api/options/dynamodb-tabels")
    assert unknown.status_code == 404
    assert unknown.json()["errors"] == [
        {
            "field": "source",
            "message": "Option source `dynamodb-tabels` is not in the catalog; "
            "did you mean `dynamodb-tables`?",
        }
    ]
    param = await api.call("ada", "GET", TABLES, params={"regoin": "us-east-1"})
    assert param.status_code == 422
    assert param.json()["errors"] == [
        {
            "field": "regoin",
            "message": "is not a param of `dynamodb-tables` (it has: region, account)",
        }
    ]
    limit = await api.call("ada", "GET", TABLES, params={"limit": 0})
    assert limit.status_code == 422
    assert limit.json()["errors"][0]["field"] == "limit"
    environment = await api.call("ada", "GET", TABLES, params={"environment": "qa"})
    assert environment.status_code == 422
    assert environment.json()["errors"][0]["field"] == "environment"


async def test_gateway_refuses_a_value_that_is_not_a_current_option(api: Api) -> None:
    inputs = delete_inputs("not-a-table-anywhere", dry_run=True)

    response = await api.call(
        "ada", "POST", "/api/runs", json={"workflow": ENTRY, "inputs": inputs}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "inputs.table_name",
            "message": "`not-a-table-anywhere` is not one of the current options of "
            "`dynamodb-tables` for account sandbox, region us-east-1",
        }
    ]


async def test_team_side_refuses_a_value_that_is_not_a_current_option(
    stack: Stack, gateway_client: Client
) -> None:
    # Past the gateway: a router forged into the gateway namespace, signed with its key.
    inputs = delete_inputs("not-a-table-either", dry_run=True)
    run_id = new_run_id()
    token = gateway_signer(stack).sign(
        ADA, act="start", run=run_id, entry=ENTRY, content=start_content("prod", inputs)
    )

    outcome = await run_router(gateway_client, forged_request(run_id, inputs, token))

    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.type == "Refused"
    assert (
        "table_name: `not-a-table-either` is not one of the current options of `dynamodb-tables`"
        in outcome.error.message
    )


async def test_the_gateway_only_reads_the_inventory(
    stack: Stack, api: Api, team_client: Client
) -> None:
    await refresh_tables(stack)
    await search(api, q="orders")
    source = demo_catalog().source("dynamodb-tables")

    inventory = team_client.get_workflow_handle(source.workflow_id)
    identities = set()
    async for event in inventory.fetch_history_events():
        for field, value in event.ListFields():
            if field.name.endswith("_attributes") and getattr(value, "identity", ""):
                identities.add(value.identity)
    assert identities, "the inventory's history records who wrote to it"
    assert GATEWAY_IDENTITY not in identities
