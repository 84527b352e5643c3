"""Helpers over the real stack (the session's ``stack`` fixture is in tests/conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import Catalog
from foyer.devstack import Stack
from foyer.publish.inventory import refresh
from foyer.temporal import connect
from tests.conftest import stack_config
from tests.polling import eventually

__all__ = ["stack_config"]  # used by the e2e tests, defined beside the session's stack

REPO = Path(__file__).resolve().parents[2]
ENTRY = "delete-dynamodb-table"


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
    return dynamodb_of(stack)


@cache
def demo_catalog() -> Catalog:
    return Catalog.load(REPO / "examples" / "catalog")


async def refresh_tables(stack: Stack) -> None:
    """Have cloud-ops' inventory of tables read DynamoDB again now, as the team would
    after creating one: table names are checked against it before a run starts."""
    client = await connect(stack.settings, namespace="cloud-ops")
    source = demo_catalog().source("dynamodb-tables")

    async def refreshed() -> bool:
        try:
            await refresh(client, source)
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:
                raise
            return False  # the team worker has not started its inventory yet
        return True

    await eventually(refreshed, bool, timeout=30, what="the inventory of tables read again")


def create_table(dynamodb: Any, name: str) -> None:
    """A table with a few items; call :func:`refresh_tables` before submitting runs on it."""
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(3):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": f"item-{i}"}})


async def new_table(stack: Stack, dynamodb: Any) -> str:
    """A fresh table with a few items, in ``stack``'s inventory."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    create_table(dynamodb, name)
    await refresh_tables(stack)
    return name


@pytest.fixture
async def table(dynamodb: Any, stack: Stack) -> str:
    """A fresh table of this test's own, with a few items, in the inventory."""
    return await new_table(stack, dynamodb)


@pytest.fixture(scope="session")
def faults_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    config = stack_config(tmp_path_factory.mktemp("faults-stack"), aws_scale=0)
    with Stack(config) as running:
        yield running


@pytest.fixture
def faults(faults_stack: Stack) -> Iterator[Stack]:
    """A stack apart from the session's, whose processes a test may kill. What a test
    leaves stopped is started again after it, so each one finds every process running."""
    yield faults_stack
    for name, process in faults_stack.processes.items():
        if not process.alive:
            faults_stack.start(name)


def dynamodb_of(stack: Stack) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=stack.credentials["aws_endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


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
