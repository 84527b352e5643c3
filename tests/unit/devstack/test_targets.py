from pathlib import Path

import pytest

from foyer.catalog import CatalogInvalid
from foyer.devstack import StackError
from foyer.devstack._targets import catalog_targets

from .catalogs import team_entry, write_catalog

STAGED = {
    "stage": {"namespace": "cloud-ops-stage", "nexus_endpoint": "cloud-ops-stage"},
    "prod": {},
}


def test_every_environment_gets_its_namespace_and_endpoint(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path,
        team_entry("delete-table", "cloud-ops", environments=STAGED),
        team_entry("resize-db", "cloud-ops"),
        team_entry("create-namespace", "platform", environments={"prod": {}}),
    )

    targets = catalog_targets(root, "gateway")

    assert targets.namespaces == ("cloud-ops", "cloud-ops-stage", "platform")
    assert dict(targets.endpoints) == {
        "cloud-ops": "cloud-ops",
        "cloud-ops-stage": "cloud-ops-stage",
        "platform": "platform",
    }


def test_an_endpoint_reaches_one_namespace(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path,
        team_entry("delete-table", "cloud-ops"),
        team_entry("backfill", "data", nexus_endpoint="cloud-ops"),
    )

    with pytest.raises(StackError) as caught:
        catalog_targets(root, "gateway")

    assert str(caught.value) == (
        "Nexus endpoint `cloud-ops` targets namespace `data` for `backfill` (prod) "
        "but `cloud-ops` for `delete-table` (prod); an endpoint reaches one namespace, "
        "so give one of them its own endpoint"
    )


def test_an_entry_may_not_run_in_the_gateway_namespace(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, team_entry("delete-table", "gateway"))

    with pytest.raises(StackError, match="give the team a namespace of its own"):
        catalog_targets(root, "gateway")


def test_the_catalog_is_checked_by_the_catalog_loader(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, team_entry("delete-table", "cloud-ops", workflow_type=None))

    with pytest.raises(CatalogInvalid) as caught:
        catalog_targets(root, "gateway")

    assert [error.path for error in caught.value.errors] == [root / "delete-table.yaml"]


def test_a_missing_directory_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(StackError) as caught:
        catalog_targets(tmp_path / "nope", "gateway")

    assert str(caught.value) == (
        f"catalog directory {tmp_path / 'nope'} does not exist; pass --catalog DIR"
    )


def test_the_demo_catalog_needs_cloud_ops() -> None:
    demo = Path(__file__).resolve().parents[3] / "examples" / "catalog"

    assert "cloud-ops" in catalog_targets(demo, "gateway").namespaces
