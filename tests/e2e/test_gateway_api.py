"""What the gateway refuses, and how it says so."""

from __future__ import annotations

from tests.e2e.conftest import ENTRY, Api, delete_inputs


async def test_requests_without_a_valid_key_are_refused(api: Api) -> None:
    missing = await api.call(None, "GET", "/api/catalog")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.json() == {
        "errors": [
            {
                "field": "Authorization",
                "message": "Send an API key as `Authorization: Bearer <key>`",
            }
        ]
    }
    wrong = await api.call(
        None, "GET", "/api/catalog", headers={"Authorization": "Bearer foyer_not-a-key"}
    )
    assert wrong.status_code == 401
    assert wrong.json()["errors"][0]["message"] == "This API key is not valid"


async def test_catalog_lists_entries_and_serves_resolved_schema(api: Api) -> None:
    listing = await api.call("ada", "GET", "/api/catalog")
    assert listing.status_code == 200
    items = {item["id"]: item for item in listing.json()["items"]}
    assert items[ENTRY]["can_run"] is True
    assert items[ENTRY]["can_approve"] is False

    detail = (await api.call("grace", "GET", f"/api/catalog/{ENTRY}")).json()
    assert detail["can_approve"] is True
    assert all(ref.startswith("#/") for ref in _refs(detail["schema"]))
    assert detail["examples"]


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


async def test_unknown_workflow_is_404(api: Api) -> None:
    response = await api.call(
        "ada", "POST", "/api/runs", json={"workflow": "delete-dynamo-table", "inputs": {}}
    )
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "field": "workflow",
                "message": "Workflow `delete-dynamo-table` is not in the catalog; "
                "did you mean `delete-dynamodb-table`?",
            }
        ]
    }


async def test_invalid_inputs_name_each_field(api: Api) -> None:
    inputs = {**delete_inputs("bad name!"), "tabel_name": "x"}
    del inputs["region"]
    response = await api.call(
        "ada", "POST", "/api/runs", json={"workflow": ENTRY, "inputs": inputs}
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "inputs.region": "is required",
        "inputs.table_name": "must match pattern ^[A-Za-z0-9_.-]{3,255}$",
        "inputs.tabel_name": (
            "is not a field of `delete-dynamodb-table`; did you mean `table_name`?"
        ),
    }


async def test_malformed_body_is_422_not_500(api: Api) -> None:
    response = await api.call("ada", "POST", "/api/runs", content=b"{not json")
    assert response.status_code == 422
    assert response.json()["errors"]


async def test_unknown_environment_is_422(api: Api, table: str) -> None:
    response = await api.call(
        "ada",
        "POST",
        "/api/runs",
        json={"workflow": ENTRY, "inputs": delete_inputs(table), "environment": "qa"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "environment"


async def test_unknown_run_is_404(api: Api) -> None:
    response = await api.call("ada", "GET", "/api/runs/run-00000000000000000000")
    assert response.status_code == 404


async def test_self_approval_is_refused(api: Api, table: str) -> None:
    run = await api.submit("grace", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    response = await api.call("grace", "POST", f"/api/runs/{run['id']}/approve")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == (
        "grace@example.com requested this run and may not approve it"
    )
    assert (await api.run(run["id"]))["status"] == "awaiting_approval"

    other = await api.call("linus", "POST", f"/api/runs/{run['id']}/reject")
    assert other.status_code == 200


async def test_non_approver_is_refused(api: Api, table: str) -> None:
    run = await api.submit("grace", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")

    response = await api.call("ada", "POST", f"/api/runs/{run['id']}/approve")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == (
        "ada@example.com is not in an approver group (cloud-ops)"
    )
    cancel = await api.call("ada", "POST", f"/api/runs/{run['id']}/cancel")
    assert cancel.status_code == 403
    await api.call("grace", "POST", f"/api/runs/{run['id']}/cancel")


async def test_deciding_a_finished_run_is_409(api: Api, table: str) -> None:
    run = await api.submit("ada", delete_inputs(table, dry_run=True))
    await api.wait_status(run["id"], "succeeded")
    response = await api.call("grace", "POST", f"/api/runs/{run['id']}/approve")
    assert response.status_code == 409
