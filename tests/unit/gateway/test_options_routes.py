"""The options routes in-process, over a fake inventory."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from foyer.catalog import SourceTarget
from foyer.contracts.options import InventoryChunk, InventoryInfo, OptionItem, PageRequest
from foyer.options import OptionsCache

ITEMS = [
    OptionItem(value=name, label=name, description=f"{account} · {region}", params=params)
    for name, region, account in [
        ("orders", "us-east-1", "sandbox"),
        ("orders-archive", "us-east-1", "sandbox"),
        ("payments-ledger", "us-east-1", "sandbox"),
        ("orders-eu", "eu-west-1", "sandbox"),
    ]
    for params in [{"region": region, "account": account}]
]


class Inventory:
    async def info(self, target: SourceTarget) -> InventoryInfo:
        return InventoryInfo(
            source="dynamodb-tables",
            ready=True,
            version=1,
            total=len(ITEMS),
            refreshed_at=datetime(2026, 1, 1, tzinfo=UTC),
            refresh_seconds=30,
        )

    async def page(self, target: SourceTarget, request: PageRequest) -> InventoryChunk:
        return InventoryChunk(version=1, total=len(ITEMS), items=ITEMS[request.offset :])


def with_inventory(client: TestClient) -> TestClient:
    state = client.app.state.gateway  # type: ignore[attr-defined]
    state.options = OptionsCache(state.catalog, Inventory(), cache_seconds=10)
    return client


def test_sources_are_listed(client: TestClient) -> None:
    response = client.get("/api/options")

    assert response.status_code == 200
    assert response.json()["sources"] == [
        {
            "name": "dynamodb-tables",
            "title": "DynamoDB tables",
            "description": "Every DynamoDB table cloud-ops can reach, by account and region.",
            "params": ["region", "account"],
            "refresh_seconds": 30,
            "used_by": [{"entry": "delete-dynamodb-table", "field": "table_name"}],
        }
    ]


def test_search_answers_matched_of_total_with_highlights(client: TestClient) -> None:
    response = with_inventory(client).get(
        "/api/options/dynamodb-tables",
        params={"q": "ORD", "region": "us-east-1", "account": "sandbox", "limit": 1},
    )

    assert response.status_code == 200
    assert response.json() == {
        "source": "dynamodb-tables",
        "total": 3,
        "matched": 2,
        "items": [
            {
                "value": "orders",
                "label": "orders",
                "description": "sandbox · us-east-1",
                "match": [[0, 3]],
            }
        ],
        "refreshed_at": "2026-01-01T00:00:00Z",
        "stale_after": "2026-01-01T00:00:40Z",
    }
    assert response.headers["server-timing"].startswith("search;dur=")


def test_a_param_left_out_matches_any_value(client: TestClient) -> None:
    body = with_inventory(client).get("/api/options/dynamodb-tables", params={"q": "orders"}).json()
    assert [item["value"] for item in body["items"]] == ["orders", "orders-archive", "orders-eu"]


def test_search_errors(client: TestClient) -> None:
    with_inventory(client)
    unknown = client.get("/api/options/tables")
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (404, "source")
    param = client.get("/api/options/dynamodb-tables", params={"zone": "a"})
    assert param.status_code == 422
    assert param.json()["errors"] == [
        {
            "field": "zone",
            "message": "is not a param of `dynamodb-tables` (it has: region, account)",
        }
    ]
    too_long = client.get("/api/options/dynamodb-tables", params={"q": "x" * 201})
    assert too_long.status_code == 422


def test_schedules_need_temporal(client: TestClient) -> None:
    response = client.get("/api/schedules")
    assert response.status_code == 503
    assert response.json()["errors"][0]["message"].startswith("Temporal did not answer")
