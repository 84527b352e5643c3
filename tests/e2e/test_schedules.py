"""Schedules through the real stack: synced from the catalog at gateway start-up, fired
by Temporal, submitted as a service identity through the run service."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleSpec,
    WorkflowFailureError,
)
from temporalio.service import RPCError

from foyer.catalog import Catalog
from foyer.contracts.names import SCHEDULED_RUN_WORKFLOW, SCHEDULES_TASK_QUEUE
from foyer.contracts.schedules import ScheduledRunResult
from foyer.db import Stores
from foyer.db.audit import AuditFilter
from foyer.devstack import Stack
from foyer.schedules.sync import sync_schedules
from foyer.temporal import for_namespace
from tests.e2e.conftest import ENTRY, REPO, Api
from tests.polling import eventually

WEEKLY = f"{ENTRY}.weekly-archive-plan"
SCHEDULER = "cloud-ops-scheduler@example.com"


async def schedules(api: Api, user: str = "ada") -> dict[str, dict[str, Any]]:
    response = await api.call(user, "GET", "/api/schedules")
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["schedules"]}


async def synced(api: Api, user: str = "ada") -> dict[str, Any]:
    found = await eventually(
        lambda: schedules(api, user),
        lambda found: found[WEEKLY]["synced"],
        timeout=30,
        what="the weekly schedule in Temporal",
    )
    return found[WEEKLY]


async def test_schedules_are_listed_with_their_next_run_times(api: Api) -> None:
    weekly = await synced(api)

    assert weekly["entry"] == ENTRY
    assert (weekly["cron"], weekly["timezone"]) == ("0 6 * * 1", "Europe/London")
    assert weekly["environment"] == "stage"
    assert weekly["requester"] == SCHEDULER
    assert weekly["can_manage"] is False
    times = [_parse(t).astimezone(ZoneInfo("Europe/London")) for t in weekly["next_run_times"]]
    assert len(times) >= 3
    assert all((t.weekday(), t.hour, t.minute) == (0, 6, 0) for t in times)
    assert times[1] - times[0] == timedelta(days=7)
    assert (await synced(api, "grace"))["can_manage"] is True


async def test_only_the_owning_team_may_pause_unpause_and_trigger(api: Api, stack: Stack) -> None:
    await synced(api)
    stores = Stores.open(stack.settings.database_url)
    already = {record.seq for record in stores.audit.page(AuditFilter(target=WEEKLY)).items}
    for action in ("pause", "unpause", "trigger"):
        response = await api.call("ada", "POST", f"/api/schedules/{WEEKLY}/{action}")
        assert response.status_code == 403, response.text
        assert response.json()["errors"] == [
            {
                "field": "id",
                "message": f"Only the owning team of `{ENTRY}` (cloud-ops) may pause, unpause "
                "or trigger its schedules",
            }
        ]
    unknown = await api.call("grace", "POST", f"/api/schedules/{ENTRY}.nope/pause")
    assert unknown.status_code == 404

    paused = await api.call(
        "grace", "POST", f"/api/schedules/{WEEKLY}/pause", json={"note": "archive frozen"}
    )
    assert paused.status_code == 200, paused.text
    assert paused.json()["paused"] is True
    assert paused.json()["note"] == "Paused by grace@example.com: archive frozen"
    unpaused = await api.call("grace", "POST", f"/api/schedules/{WEEKLY}/unpause")
    assert unpaused.json()["paused"] is False
    assert unpaused.json()["note"] == "Unpaused by grace@example.com"

    audited = [
        (record.action, record.actor, record.outcome, record.detail.get("note"))
        for record in reversed(stores.audit.page(AuditFilter(target=WEEKLY)).items)
        if record.seq not in already
    ]
    stores.close()
    assert audited == [
        ("schedule.paused", "ada@example.com", "refused", None),
        ("schedule.unpaused", "ada@example.com", "refused", None),
        ("schedule.triggered", "ada@example.com", "refused", None),
        ("schedule.paused", "grace@example.com", "ok", "archive frozen"),
        ("schedule.unpaused", "grace@example.com", "ok", ""),
    ]


async def test_trigger_submits_a_run_like_any_other(api: Api) -> None:
    before = {run["run_id"] for run in (await synced(api))["recent_runs"]}

    response = await api.call("grace", "POST", f"/api/schedules/{WEEKLY}/trigger")
    assert response.status_code == 202, response.text

    weekly = await eventually(
        lambda: synced(api),
        lambda weekly: {run["run_id"] for run in weekly["recent_runs"]} - before,
        what="the triggered firing",
    )
    (run_id,) = {run["run_id"] for run in weekly["recent_runs"]} - before
    run = await eventually(
        lambda: api.call("ada", "GET", f"/api/runs/{run_id}"),
        lambda response: (
            response.status_code == 200 and response.json()["status"] in ("succeeded", "failed")
        ),
        what=f"scheduled run {run_id} finished",
    )
    done = run.json()
    assert done["status"] == "succeeded", done
    assert (done["requester"], done["client"], done["environment"]) == (
        SCHEDULER,
        "schedule",
        "stage",
    )
    assert done["inputs"]["table_name"] == "orders-archive"
    assert done["result"]["dry_run"] is True


async def test_a_forged_firing_can_only_fire_what_the_catalog_declares(
    api: Api, gateway_client: Client
) -> None:
    await synced(api)
    # An insider starts the scheduled-run workflow with inputs and a requester of their own.
    forged = {
        "schedule_id": WEEKLY,
        "requester": "grace@example.com",
        "inputs": {"table_name": "payments-ledger", "dry_run": False},
    }
    result = await gateway_client.execute_workflow(
        SCHEDULED_RUN_WORKFLOW,
        forged,
        id=f"forged-{uuid.uuid4().hex[:8]}",
        task_queue=SCHEDULES_TASK_QUEUE,
        result_type=ScheduledRunResult,
    )
    run = (await api.call("ada", "GET", f"/api/runs/{result.run_id}")).json()
    assert run["requester"] == SCHEDULER
    assert run["inputs"]["table_name"] == "orders-archive"
    assert run["inputs"]["dry_run"] is True

    with pytest.raises(WorkflowFailureError) as failed:
        await gateway_client.execute_workflow(
            SCHEDULED_RUN_WORKFLOW,
            {"schedule_id": f"{ENTRY}.made-up"},
            id=f"forged-{uuid.uuid4().hex[:8]}",
            task_queue=SCHEDULES_TASK_QUEUE,
        )
    assert f"Schedule `{ENTRY}.made-up` is not in the catalog" in str(failed.value.cause.cause)


@pytest.fixture
async def scratch_namespace(stack: Stack, gateway_client: Client) -> Client:
    """A namespace of this test's own, so syncing another catalog touches nothing else."""
    name = f"sched-{uuid.uuid4().hex[:8]}"
    retention = timedelta(days=1)
    request = RegisterNamespaceRequest(namespace=name)
    request.workflow_execution_retention_period.FromTimedelta(retention)
    await gateway_client.workflow_service.register_namespace(request)

    async def described() -> bool:
        try:
            await gateway_client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=name)
            )
        except RPCError:
            return False
        return True

    await eventually(described, bool, what=f"namespace {name}")
    return for_namespace(gateway_client, name)


def catalog_with(tmp_path: Path, schedules: list[dict[str, Any]]) -> Catalog:
    root = tmp_path / f"catalog-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(REPO / "examples" / "catalog", root)
    path = root / "cloud-ops" / "delete-dynamodb-table.yaml"
    document = yaml.safe_load(path.read_text())
    document["schedules"] = schedules
    path.write_text(yaml.safe_dump(document))
    return Catalog.load(root)


PLAN: dict[str, Any] = {
    "requester": SCHEDULER,
    "environment": "stage",
    "inputs": {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "table_name": "orders-archive",
        "dry_run": True,
    },
}


async def test_sync_creates_updates_and_deletes_only_its_own(
    scratch_namespace: Client, tmp_path: Path
) -> None:
    client = scratch_namespace
    first = catalog_with(
        tmp_path,
        [{"name": "hourly", "cron": "0 * * * *", **PLAN}, {"name": "often", "every": "5m", **PLAN}],
    )
    other = await client.create_schedule(
        "not-from-the-catalog",
        Schedule(
            action=ScheduleActionStartWorkflow("Anything", id="x", task_queue="elsewhere"),
            spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(hours=1))]),
        ),
    )

    report = await sync_schedules(client, first)
    assert ours(report.created) == [f"{ENTRY}.hourly", f"{ENTRY}.often"]
    await client.get_schedule_handle(f"{ENTRY}.hourly").pause(note="by an operator")

    again = await sync_schedules(client, first)
    assert (ours(again.created), ours(again.updated)) == (
        [],
        [f"{ENTRY}.hourly", f"{ENTRY}.often"],
    )

    second = catalog_with(tmp_path, [{"name": "hourly", "cron": "30 * * * *", **PLAN}])

    async def synced_second() -> list[str]:
        return ours((await sync_schedules(client, second)).deleted)

    await eventually(synced_second, lambda deleted: deleted == [f"{ENTRY}.often"])
    hourly = await client.get_schedule_handle(f"{ENTRY}.hourly").describe()
    assert hourly.schedule.state.paused is True
    assert hourly.schedule.state.note == "by an operator"
    assert {t.minute for t in hourly.info.next_action_times} == {30}
    with pytest.raises(RPCError):
        await client.get_schedule_handle(f"{ENTRY}.often").describe()
    assert (await other.describe()).id == "not-from-the-catalog"


def ours(identifiers: list[str]) -> list[str]:
    """The ids of this test's entry's schedules (other entries of the catalog have some too)."""
    return sorted(i for i in identifiers if i.startswith(f"{ENTRY}."))


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
