"""One real stack per test session: Temporal dev server, moto, workers, gateway.

Everything runs on free loopback ports in a temporary directory, so the suite
passes while a developer's ``make up`` is running.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from temporalio.client import Client

from foyer.devstack import Stack, StackConfig, free_port
from foyer.temporal import connect
from tests.polling import eventually

REPO = Path(__file__).resolve().parents[2]
ENTRY = "delete-dynamodb-table"


def stack_config(state_dir: Path, **changes: Any) -> StackConfig:
    """A whole stack of the demo catalog on free ports, logging to files under ``state_dir``."""
    values: dict[str, Any] = {
        "state_dir": state_dir,
        "temporal_port": free_port(),
        "ui_port": None,
        "gateway_port": free_port(),
        "moto_port": free_port(),
        "catalog_dir": REPO / "examples" / "catalog",
        "repo_root": REPO,
        "logs": "files",
        "ready_timeout": 60,
    }
    return StackConfig(**{**values, **changes})


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with Stack(stack_config(tmp_path_factory.mktemp("stack"))) as running:
        yield running


@dataclass
class Api:
    """The gateway over HTTP, as each demo user."""

    base_url: str
    keys: dict[str, str]

    @classmethod
    def of(cls, stack: Stack) -> Api:
        users = stack.credentials["users"]
        keys = {user["email"].split("@")[0]: user["api_key"] for user in users}
        return cls(base_url=stack.credentials["gateway_url"], keys=keys)

    def client(self, user: str | None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.keys[user]}"} if user else {}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=30)

    async def call(self, user: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async with self.client(user) as client:
            return await client.request(method, path, **kwargs)

    async def submit(self, user: str, inputs: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        response = await self.call(
            user, "POST", "/api/runs", json={"workflow": ENTRY, "inputs": inputs}, **kwargs
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def run(self, run_id: str) -> dict[str, Any]:
        response = await self.call("ada", "GET", f"/api/runs/{run_id}")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def wait_status(self, run_id: str, *statuses: str, timeout: float = 30) -> dict[str, Any]:
        return await eventually(
            lambda: self.run(run_id),
            lambda run: run["status"] in statuses,
            timeout=timeout,
            what=f"run {run_id} in {statuses}",
        )


@pytest.fixture(scope="session")
def api(stack: Stack) -> Api:
    return Api.of(stack)


@pytest.fixture(scope="session")
def dynamodb(stack: Stack) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=stack.credentials["aws_endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def table(dynamodb: Any) -> str:
    """A fresh table of this test's own, with a few items."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(3):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": f"item-{i}"}})
    return name


def table_exists(dynamodb: Any, name: str) -> bool:
    return name in dynamodb.list_tables()["TableNames"]


def delete_inputs(table: str, *, dry_run: bool = False) -> dict[str, Any]:
    return {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "table_name": table,
        "dry_run": dry_run,
        "reason": "Decommissioning a test table",
    }


@pytest.fixture
async def gateway_client(stack: Stack) -> AsyncIterator[Client]:
    """A Temporal client on the gateway namespace, as anyone who can write to it."""
    yield await connect(stack.settings)


@pytest.fixture
async def team_client(stack: Stack) -> AsyncIterator[Client]:
    yield await connect(stack.settings, namespace="cloud-ops")
