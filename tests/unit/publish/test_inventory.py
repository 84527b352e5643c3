"""The team's side of an option source: the fetch activity and which inventories start."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from foyer.catalog import Catalog, OptionSource
from foyer.catalog.sources import SourceOverride
from foyer.contracts.options import FetchRequest, InventoryPage, OptionItem
from foyer.publish.inventory import Inventories, Inventory

SOURCE = OptionSource(
    name="tables",
    title="Tables",
    description="",
    owners=[],
    namespace="cloud-ops",
    task_queue="tables",
    workflow_id="options-tables",
    refresh_seconds=60,
    params=[],
    environments={"stage": SourceOverride(namespace="cloud-ops-stage")},
    source=Path("tables.yaml"),
)


def tables() -> list[OptionItem]:
    return [OptionItem(value="orders"), OptionItem(value="ledger")]


async def paged(cursor: str | None) -> InventoryPage:
    number = int(cursor or 0)
    return InventoryPage(
        items=[OptionItem(value=f"t{number}")], cursor=str(number + 1) if number < 2 else None
    )


async def test_the_fetch_activity_reads_with_the_teams_function() -> None:
    inventories = Inventories(Inventory.of_list("tables", tables), Inventory("pages", paged))
    environment = ActivityEnvironment()

    whole = await environment.run(inventories.fetch, FetchRequest(source="tables"))
    assert [item.value for item in whole.items] == ["orders", "ledger"]
    assert whole.cursor is None
    page = await environment.run(inventories.fetch, FetchRequest(source="pages", cursor="2"))
    assert ([item.value for item in page.items], page.cursor) == (["t2"], None)

    with pytest.raises(
        ApplicationError, match=r"no inventory for `nope` \(it has: pages, tables\)"
    ):
        await environment.run(inventories.fetch, FetchRequest(source="nope"))


class FakeClient:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace


def test_a_worker_keeps_the_inventories_the_catalog_places_in_its_namespace() -> None:
    catalog = Catalog(root=Path("."), entries=[], sources=[SOURCE])
    inventories = Inventories(
        Inventory.of_list("tables", tables), Inventory.of_list("gone", tables)
    )

    prod = inventories.targets(FakeClient("cloud-ops"), catalog)  # type: ignore[arg-type]
    stage = inventories.targets(FakeClient("cloud-ops-stage"), catalog)  # type: ignore[arg-type]

    assert [(s.name, t.workflow_id) for s, t in prod] == [("tables", "options-tables")]
    assert [t.namespace for _, t in stage] == ["cloud-ops-stage"]
    assert inventories.targets(FakeClient("data"), catalog) == []  # type: ignore[arg-type]


async def test_a_page_equal_to_the_last_read_comes_back_empty() -> None:
    inventories = Inventories(Inventory.of_list("tables", tables))
    environment = ActivityEnvironment()
    first = await environment.run(inventories.fetch, FetchRequest(source="tables"))

    again = await environment.run(
        inventories.fetch, FetchRequest(source="tables", previous=first.digest)
    )
    assert (again.unchanged, again.items, again.digest) == (True, [], first.digest)
    changed = await environment.run(
        inventories.fetch, FetchRequest(source="tables", previous="another")
    )
    assert (changed.unchanged, len(changed.items)) == (False, 2)
