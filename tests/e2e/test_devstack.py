"""The infrastructure half of ``foyer up``, for real: dev server, endpoints, moto, credentials."""

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    ListNexusEndpointsRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import WorkflowExecutionStatus

from foyer.contracts.names import SEARCH_ATTRIBUTES, handler_task_queue
from foyer.devstack import Exited, Stack, StackConfig, free_port
from foyer.devstack._aws import TABLES, dynamodb
from foyer.temporal import connect, for_namespace


def infra_config(state_dir: Path, catalog: Path) -> StackConfig:
    return StackConfig(
        state_dir=state_dir,
        temporal_port=free_port(),
        ui_port=None,
        gateway_port=free_port(),
        moto_port=free_port(),
        catalog_dir=catalog,
        apps=False,
        logs="files",
    )


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalog")
    (root / "defs").mkdir()
    (root / "defs" / "aws.yaml").write_text("$defs: {}\n")
    (root / "delete-table.yaml").write_text(
        "id: delete-table\nnamespace: cloud-ops\nnexus_endpoint: cloud-ops\n"
    )
    return root


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, catalog: Path) -> Iterator[Stack]:
    with Stack(infra_config(tmp_path_factory.mktemp("stack"), catalog)) as running:
        yield running


async def test_nexus_endpoint_targets_the_team_handler_queue(stack: Stack) -> None:
    client = await connect(stack.settings)

    page = await client.operator_service.list_nexus_endpoints(ListNexusEndpointsRequest())

    targets = {
        e.spec.name: (e.spec.target.worker.namespace, e.spec.target.worker.task_queue)
        for e in page.endpoints
    }
    assert targets == {"cloud-ops": ("cloud-ops", handler_task_queue("cloud-ops"))}


async def test_search_attributes_exist_in_gateway_and_team_namespaces(stack: Stack) -> None:
    client = await connect(stack.settings)

    for namespace in ("gateway", "cloud-ops"):
        response = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
        for key in SEARCH_ATTRIBUTES:
            assert (
                response.custom_attributes[key.name] == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
            )


def test_moto_is_seeded(stack: Stack) -> None:
    client = dynamodb(str(stack.urls["aws_endpoint_url"]))

    assert sorted(client.list_tables()["TableNames"]) == sorted(TABLES)
    for table, items in TABLES.items():
        assert client.scan(TableName=table)["Count"] == len(items)


def test_credentials_file_has_urls_and_demo_users(stack: Stack) -> None:
    document = json.loads(stack.paths.credentials.read_text())

    assert document == stack.credentials
    assert document["temporal_address"] == stack.settings.temporal_address
    assert document["aws_endpoint_url"] == stack.env["AWS_ENDPOINT_URL"]
    assert document["gateway_url"] == stack.settings.gateway_url
    assert document["temporal_ui_url"] is None
    assert [(u["email"], u["groups"]) for u in document["users"]] == [
        ("ada@example.com", ["engineering"]),
        ("grace@example.com", ["engineering", "cloud-ops"]),
        ("linus@example.com", ["engineering", "cloud-ops"]),
    ]
    assert all(u["api_key"].startswith("foyer_") for u in document["users"])


def test_a_crash_is_reported_and_the_component_can_be_started_again(stack: Stack) -> None:
    moto = stack.processes["moto"]
    assert moto.pid is not None
    os.killpg(moto.pid, signal.SIGKILL)

    assert stack.wait_for_exit(timeout=10) == Exited("moto", -signal.SIGKILL)

    stack.start("moto")
    stack.kill("moto")
    assert not moto.alive
    assert stack.wait_for_exit(timeout=0.5) is None  # asked for, so not a crash

    stack.start("moto")
    tables = dynamodb(str(stack.urls["aws_endpoint_url"])).list_tables()["TableNames"]
    assert sorted(tables) == sorted(TABLES)


async def test_second_start_on_the_same_directory_keeps_keys_and_runs(
    tmp_path: Path, catalog: Path
) -> None:
    with Stack(infra_config(tmp_path, catalog)) as first:
        keys = [user["api_key"] for user in first.credentials["users"]]
        client = await connect(first.settings)
        team = for_namespace(client, "cloud-ops")
        for namespace_client in (client, team):
            await namespace_client.start_workflow(
                "NobodyPollsThis", id="survives-restart", task_queue="no-worker"
            )

    with Stack(infra_config(tmp_path, catalog)) as second:
        assert [user["api_key"] for user in second.credentials["users"]] == keys
        client = await connect(second.settings)
        for namespace_client in (client, for_namespace(client, "cloud-ops")):
            description = await namespace_client.get_workflow_handle("survives-restart").describe()
            assert description.status == WorkflowExecutionStatus.RUNNING
