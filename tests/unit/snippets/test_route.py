"""GET /api/catalog/{id}/snippets, in-process: who gets which snippet, inputs, errors."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

PATH = "/api/catalog/delete-dynamodb-table/snippets"


def snippets(client: TestClient, **params: str) -> dict[str, str]:
    response = client.get(PATH, params=params)
    assert response.status_code == 200, response.text
    return {s["language"]: s["code"] for s in response.json()["snippets"]}


def test_requesters_get_the_http_snippets_and_the_team_also_temporal(
    client: TestClient, keys: dict[str, str]
) -> None:
    assert list(snippets(client)) == ["cli", "curl", "httpx", "requests"]
    grace = {"Authorization": f"Bearer {keys['grace']}"}
    response = client.get(PATH, headers=grace)
    temporal = {s["language"]: s for s in response.json()["snippets"]}["temporal"]
    assert temporal["label"] == "Temporal SDK (Python, direct start)"
    assert 'namespace="cloud-ops-stage"' in temporal["code"]  # the first example is in stage
    assert "required=False" in temporal["code"]  # stage's own approval policy
    assert 'task_queue="datastore-queue"' in temporal["code"]
    assert '"DeleteDynamoDBTable"' in temporal["code"]
    assert 'subject="grace@example.com"' in temporal["code"]


def test_default_is_the_first_example_and_no_key_is_inside(
    client: TestClient, keys: dict[str, str]
) -> None:
    code = snippets(client)
    assert "--environment stage" in code["cli"]
    assert "--table-name orders-archive" in code["cli"]
    assert "FOYER_URL=http://testserver foyer run" in code["cli"]
    for text in code.values():
        assert keys["ada"] not in text
        assert "FOYER_API_KEY" in text


def test_each_answer_has_its_own_idempotency_key(client: TestClient) -> None:
    first, second = snippets(client)["curl"], snippets(client)["curl"]
    key = [line for line in first.splitlines() if "Idempotency-Key" in line][-1]
    assert key not in second


def test_example_and_environment(client: TestClient) -> None:
    code = snippets(client, example="plan with DEFAULTS", environment="prod")
    body = code["curl"].split("<<'EOF'\n", 1)[1].rsplit("\nEOF", 1)[0]
    assert json.loads(body) == {
        "workflow": "delete-dynamodb-table",
        "environment": "prod",
        "inputs": {"aws_account": "sandbox", "region": "us-east-1", "table_name": "orders"},
    }


def test_inputs_as_json(client: TestClient) -> None:
    code = snippets(client, inputs=json.dumps({"table_name": "t-1", "dry_run": False}))
    assert "--table-name t-1 \\\n  --no-dry-run" in code["cli"]
    assert '"dry_run": False' in code["httpx"]


def errors(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


def test_bad_requests_name_the_field(client: TestClient, anonymous: TestClient) -> None:
    unknown = client.get(PATH, params={"example": "nope"})
    assert unknown.status_code == 422
    assert errors(unknown) == [
        (
            "example",
            "Example `nope` does not exist; the examples are: `Dry run in stage`, "
            "`Delete a retired cache`, `Plan with defaults`",
        )
    ]
    not_json = client.get(PATH, params={"inputs": "{table"})
    assert not_json.status_code == 422
    assert errors(not_json)[0][0] == "inputs"
    both = client.get(PATH, params={"inputs": "{}", "example": "x"})
    assert errors(both) == [("inputs", "give either `example` or `inputs`, not both")]
    environment = client.get(PATH, params={"environment": "dev"})
    assert (environment.status_code, errors(environment)[0][0]) == (422, "environment")
    assert client.get("/api/catalog/nope/snippets").status_code == 404
    assert anonymous.get(PATH).status_code == 401


def test_openapi_declares_the_operation(anonymous: TestClient) -> None:
    document = anonymous.get("/openapi.json").json()
    operation = document["paths"]["/api/catalog/{entry_id}/snippets"]["get"]
    assert operation["operationId"] == "getSnippets"
    assert set(operation["responses"]) == {"200", "401", "404", "422"}
