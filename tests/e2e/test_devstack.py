"""``foyer up`` for real: dev server, endpoints, moto, credentials, supervision, private files."""

import json
import os
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    ListNexusEndpointsRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import WorkflowExecutionStatus

from foyer.contracts.names import SEARCH_ATTRIBUTES, handler_task_queue
from foyer.devstack import Failure, Stack, StackConfig
from foyer.devstack._aws import dynamodb, tables
from foyer.temporal import connect, for_namespace
from tests.e2e.conftest import Api, delete_inputs, dynamodb_of, new_table
from tests.polling import eventually
from tests.unit.devstack.catalogs import team_entry, write_catalog

TEAM_NAMESPACES = ("cloud-ops", "cloud-ops-stage", "platform")
SEEDED = tables(scale=0)
"""The tables of the infrastructure stack's moto, seeded with only what the examples name."""


def infra_config(state_dir: Path, catalog: Path) -> StackConfig:
    return StackConfig.private(state_dir, catalog, aws_scale=0, apps=False, ready_timeout=30)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two teams; cloud-ops' stage runs go to a namespace and endpoint of their own."""
    stage = {"namespace": "cloud-ops-stage", "nexus_endpoint": "cloud-ops-stage"}
    return write_catalog(
        tmp_path_factory.mktemp("catalog"),
        team_entry("delete-table", "cloud-ops", environments={"stage": stage, "prod": {}}),
        team_entry("create-namespace", "platform", environments={"prod": {}}),
    )


@pytest.fixture(scope="module")
def infra(tmp_path_factory: pytest.TempPathFactory, catalog: Path) -> Iterator[Stack]:
    with Stack(infra_config(tmp_path_factory.mktemp("stack"), catalog)) as running:
        yield running


async def test_every_environment_gets_an_endpoint_to_its_team_handler_queue(infra: Stack) -> None:
    client = await connect(infra.settings)

    page = await client.operator_service.list_nexus_endpoints(ListNexusEndpointsRequest())

    targets = {
        e.spec.name: (e.spec.target.worker.namespace, e.spec.target.worker.task_queue)
        for e in page.endpoints
    }
    assert targets == {
        namespace: (namespace, handler_task_queue(namespace)) for namespace in TEAM_NAMESPACES
    }


async def test_search_attributes_exist_in_gateway_and_team_namespaces(infra: Stack) -> None:
    client = await connect(infra.settings)

    for namespace in ("gateway", *TEAM_NAMESPACES):
        response = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
        for key in SEARCH_ATTRIBUTES:
            assert (
                response.custom_attributes[key.name] == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
            )


def test_moto_is_seeded(infra: Stack) -> None:
    client = dynamodb(str(infra.urls["aws_endpoint_url"]))

    assert sorted(client.list_tables()["TableNames"]) == sorted(SEEDED)
    for table, items in SEEDED.items():
        assert client.scan(TableName=table)["Count"] == len(items)


def test_credentials_file_has_urls_and_demo_users(infra: Stack) -> None:
    document = json.loads(infra.paths.credentials.read_text())

    assert document == infra.credentials
    assert document["temporal_address"] == infra.settings.temporal_address
    assert document["aws_endpoint_url"] == infra.env["AWS_ENDPOINT_URL"]
    assert document["gateway_url"] == infra.settings.gateway_url
    assert document["temporal_ui_url"] is None
    assert [(u["email"], u["groups"]) for u in document["users"]] == [
        ("ada@example.com", ["engineering"]),
        ("grace@example.com", ["engineering", "cloud-ops"]),
        ("linus@example.com", ["engineering", "cloud-ops", "platform"]),
    ]
    assert all(u["api_key"].startswith("foyer_") for u in document["users"])


def test_secrets_are_private_files_in_a_private_directory(infra: Stack) -> None:
    paths = infra.paths
    databases = sorted(paths.state_dir.glob("temporal.db*")) + sorted(
        paths.state_dir.glob("foyer.db*")
    )
    logs = sorted(paths.logs.iterdir())

    assert paths.temporal_db in databases
    assert paths.state_dir / "foyer.db" in databases
    assert "temporal.log" in [p.name for p in logs]
    for directory in (paths.state_dir, paths.signing_key.parent, paths.logs):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
    private = [paths.signing_key, paths.secret_key, paths.credentials]
    for path in [*private, *databases, *logs]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_crash_of_infrastructure_is_a_failure_and_it_can_be_started_again(infra: Stack) -> None:
    moto = infra.processes["moto"]
    assert moto.pid is not None
    os.killpg(moto.pid, signal.SIGKILL)

    assert infra.wait_for_failure(timeout=10) == Failure(
        "moto", -9, "moto exited unexpectedly with status -9 (SIGKILL)"
    )

    infra.start("moto")
    infra.kill("moto")
    assert not moto.alive
    assert infra.wait_for_failure(timeout=0.5) is None  # asked for, so not a crash

    infra.start("moto")
    names = dynamodb(str(infra.urls["aws_endpoint_url"])).list_tables()["TableNames"]
    assert sorted(names) == sorted(SEEDED)


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


async def test_crashed_workers_and_gateway_come_back_and_runs_complete(faults: Stack) -> None:
    api = Api.of(faults)
    for name in ("router-worker", "gateway"):
        process = faults.processes[name]
        crashed = process.pid
        assert crashed is not None
        os.kill(crashed, signal.SIGKILL)

        async def restarted(process=process, crashed=crashed) -> bool:  # type: ignore[no-untyped-def]
            return process.alive and process.pid != crashed

        await eventually(restarted, bool, timeout=15, what=f"{name} restarted")

    async def ready() -> int:
        try:
            return (await api.call(None, "GET", "/readyz")).status_code
        except httpx.TransportError:
            return 0

    await eventually(ready, lambda status: status == 200, timeout=30, what="gateway ready")
    table = await new_table(faults, dynamodb_of(faults))
    run = await api.submit("ada", delete_inputs(table, dry_run=True))
    done = await api.wait_status(run["id"], "succeeded", "failed", timeout=60)

    assert done["status"] == "succeeded", done
    assert faults.wait_for_failure(timeout=0) is None
    for name in ("router-worker", "gateway"):
        log = (faults.paths.logs / f"{name}.log").read_text()
        assert (
            f"foyer up: {name} exited with status -9 (SIGKILL); restarting it in 0.5 s "
            "(crash 1 in 60 s; 5 stop the stack)\n"
        ) in log
        assert f"foyer up: restarted {name} (pid {faults.processes[name].pid})\n" in log


async def test_api_keys_in_query_strings_never_reach_the_logs(stack: Stack) -> None:
    api = Api.of(stack)
    key = api.keys["ada"]

    await api.call("ada", "GET", f"/api/runs?api_key={key}")
    await api.call(None, "GET", f"/api/catalog?api_key={key}&{key}")

    async def gateway_log() -> str:
        return (stack.paths.logs / "gateway.log").read_text()

    await eventually(
        gateway_log,
        lambda text: '"GET /api/catalog?[redacted] HTTP/1.1" 401' in text,
        what="the request in the access log",
    )
    assert '"GET /api/runs?[redacted] HTTP/1.1"' in await gateway_log()
    for log in stack.paths.logs.iterdir():
        assert key not in log.read_text(), log
