"""Each team's input models agree with its catalog entries, and its account map with the estate."""

from __future__ import annotations

from pydantic import BaseModel

from examples.cloud_ops.aws import ACCOUNTS
from examples.cloud_ops.models.dynamodb import DeleteTableInputs
from examples.cloud_ops.models.elasticache import DeleteCacheInputs, UpgradeInputs
from examples.cloud_ops.models.rds import (
    CloneInputs,
    DeleteDatabaseInputs,
    PerformanceInsightsInputs,
    RebootInputs,
    ResizeInputs,
    SnapshotCleanupInputs,
)
from examples.common.worker import task_queues
from examples.platform.models import CreateNamespaceInputs, EndpointInputs
from foyer.catalog import Catalog
from foyer.devstack._aws import inventory
from foyer.testing import assert_models_fit
from tests.examples.conftest import CATALOG

MODELS: dict[str, type[BaseModel]] = {
    "delete-dynamodb-table": DeleteTableInputs,
    "resize-rds": ResizeInputs,
    "reboot-rds-instance": RebootInputs,
    "delete-rds": DeleteDatabaseInputs,
    "enable-rds-performance-insights": PerformanceInsightsInputs,
    "clone-rds-cluster": CloneInputs,
    "delete-old-rds-snapshots": SnapshotCleanupInputs,
    "upgrade-redis-to-valkey": UpgradeInputs,
    "delete-elasticache": DeleteCacheInputs,
    "create-temporal-namespace": CreateNamespaceInputs,
    "set-up-nexus-endpoint": EndpointInputs,
}


def test_every_entry_has_its_model() -> None:
    assert sorted(MODELS) == sorted(entry.id for entry in Catalog.load(CATALOG).entries)


def test_every_example_parses_into_its_model_and_defaults_agree() -> None:
    assert_models_fit(Catalog.load(CATALOG), MODELS)


def test_catalog_accounts_are_the_estate_accounts() -> None:
    catalog_accounts = Catalog.load(CATALOG).get("resize-rds").schema["$defs"]["aws_account_name"]
    assert catalog_accounts["enum"] == list(ACCOUNTS) == list(inventory.ACCOUNTS)
    assert ACCOUNTS == inventory.ACCOUNTS


def test_team_workers_serve_stage_and_prod_of_their_entries() -> None:
    catalog = Catalog.load(CATALOG)
    assert task_queues(catalog, "cloud-ops") == [
        ("cloud-ops", "cache-queue"),
        ("cloud-ops", "datastore-queue"),
        ("cloud-ops", "rds-queue"),
        ("cloud-ops-stage", "cache-queue"),
        ("cloud-ops-stage", "datastore-queue"),
        ("cloud-ops-stage", "rds-queue"),
    ]
    assert task_queues(catalog, "platform") == [
        ("platform", "platform-queue"),
        ("platform-stage", "platform-queue"),
    ]
