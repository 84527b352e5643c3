"""A gateway in memory, over httpx.MockTransport, serving the demo catalog's real entry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from foyer.catalog import Catalog, EntryNotFound
from foyer.gateway.schemas import CatalogEntryPublic, CatalogItem

REPO = Path(__file__).resolve().parents[3]
CATALOG = Catalog.load(REPO / "examples" / "catalog")
ENTRY_ID = "delete-dynamodb-table"
URL = "http://gateway.test"
GROUPS = ["engineering"]


def run_json(run_id: str = "run-1", status: str = "pending", **extra: Any) -> dict[str, Any]:
    """A run as the gateway returns it."""
    return {
        "id": run_id,
        "workflow": ENTRY_ID,
        "title": "Delete a DynamoDB table",
        "environment": "stage",
        "status": status,
        "message": "",
        "requester": "ada@example.com",
        "requester_name": "Ada Lovelace",
        "client": "cli",
        "inputs": {"table_name": "orders"},
        "created_at": "2026-11-21T10:04:05.123000Z",
        "closed_at": None,
        "approvals": [],
        "plan": None,
        "result": None,
        "error": None,
        "cancelled_by": None,
        "links": {
            "self": f"{URL}/api/runs/{run_id}",
            "temporal_ui": f"http://ui.test/namespaces/gateway/workflows/{run_id}",
            "team_temporal_ui": "",
        },
        **extra,
    }


@dataclass
class FakeGateway:
    """Answers the routes the CLI calls; records every request; scripted where tests need it."""

    requests: list[httpx.Request] = field(default_factory=list)
    errors: dict[tuple[str, str], tuple[int, list[dict[str, str]]]] = field(default_factory=dict)
    run_states: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    inbox: list[dict[str, Any]] = field(default_factory=list)
    snippets: list[dict[str, str]] = field(default_factory=list)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        if key in self.errors:
            status, errors = self.errors[key]
            return httpx.Response(status, json={"errors": errors})
        method, path = key
        if path == "/api/me":
            return httpx.Response(
                200, json={"subject": "ada@example.com", "name": "Ada Lovelace", "groups": GROUPS}
            )
        if path == "/api/catalog":
            items = [CatalogItem.of(e, GROUPS).model_dump(mode="json") for e in CATALOG.entries]
            return httpx.Response(200, json={"items": items})
        if path.startswith("/api/catalog/") and path.endswith("/snippets"):
            return httpx.Response(200, json={"snippets": self.snippets})
        if path.startswith("/api/catalog/"):
            entry_id = path.rsplit("/", 1)[1]
            try:
                found = CATALOG.get(entry_id)
            except EntryNotFound as err:
                errors = [{"field": "workflow", "message": str(err)}]
                return httpx.Response(404, json={"errors": errors})
            entry = CatalogEntryPublic.of(found, GROUPS)
            return httpx.Response(200, json=entry.model_dump(mode="json", by_alias=True))
        if path == "/api/runs" and method == "POST":
            body = json.loads(request.content)
            run = run_json(environment=body["environment"], inputs=body["inputs"])
            return httpx.Response(201, json=run)
        if path == "/api/runs":
            return httpx.Response(200, json={"items": self.runs, "next_cursor": None})
        if path == "/api/approvals":
            return httpx.Response(200, json={"items": self.inbox})
        if path.startswith("/api/runs/") and method == "GET":
            state = self.run_states.pop(0) if len(self.run_states) > 1 else self.run_states[0]
            return httpx.Response(200, json=state)
        if path.startswith("/api/runs/") and method == "POST":
            action = path.rsplit("/", 1)[1]
            status = {"approve": "running", "reject": "rejected", "cancel": "cancelled"}[action]
            return httpx.Response(200, json=run_json(path.split("/")[3], status))
        return httpx.Response(404, json={"errors": [{"field": "", "message": "no such route"}]})
