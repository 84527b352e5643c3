"""The AWS emulator's seeded estate: accounts, regions, snapshot ages, seeding time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from foyer.devstack._aws import TABLES, estates, inventory, seed
from foyer.devstack._aws.emulator import CREATED_AT_TAG
from foyer.devstack._aws.inventory import Estate
from tests.examples.conftest import Emulator


def test_the_estate_is_large_and_spread_out(aws: Emulator) -> None:
    report = aws.report
    assert report.instances >= 200 and report.clusters >= 40
    assert report.snapshots >= 100 and report.caches >= 30 and report.tables >= 30
    print(f"seeded {report}")
    per_place = {(e.account, e.region): len(e.instances) for e in estates()}
    assert len(per_place) == 12 and all(per_place.values())


def test_each_account_sees_only_its_own_resources(aws: Emulator) -> None:
    seeded = {(e.account, e.region): e for e in estates()}

    def names(estate: Estate) -> set[str]:
        return {i.identifier for i in estate.instances} | {
            m for c in estate.clusters for m in c.members
        }

    for (account, region), estate in seeded.items():
        rds = aws.client("rds", region, account)
        found = {
            i["DBInstanceIdentifier"]
            for page in rds.get_paginator("describe_db_instances").paginate()
            for i in page["DBInstances"]
        }
        others = set().union(
            *(names(e) for (a, r), e in seeded.items() if r == region and a != account)
        )
        assert not found & (others - names(estate))
        if account != "sandbox":  # other tests delete sandbox databases
            assert names(estate) <= found


def test_snapshots_have_their_ages_and_no_seeding_tag(aws: Emulator) -> None:
    rds = aws.client("rds")
    snapshots = rds.describe_db_snapshots(
        DBInstanceIdentifier="orders-db-01", SnapshotType="manual"
    )
    ages = {
        s["DBSnapshotIdentifier"]: (datetime.now(UTC) - s["SnapshotCreateTime"]).days
        for s in snapshots["DBSnapshots"]
    }
    assert ages == {
        "orders-db-01-pre-upgrade": 200,
        "orders-db-01-weekly-old": 95,
        "orders-db-01-keep": 400,
        "orders-db-01-recent": 3,
    }
    tags = [t["Key"] for s in snapshots["DBSnapshots"] for t in s.get("TagList", [])]
    assert CREATED_AT_TAG not in tags


def test_sandbox_tables_hold_their_items(aws: Emulator) -> None:
    dynamodb = aws.client("dynamodb")
    assert sorted(dynamodb.list_tables()["TableNames"]) == sorted(TABLES)
    for table, items in TABLES.items():
        assert dynamodb.scan(TableName=table)["Count"] == len(items)


def test_seeding_again_changes_nothing(aws: Emulator) -> None:
    rds = aws.client("rds", "eu-central-1", "payments-prod")
    before = rds.describe_db_instances()["DBInstances"]
    report = seed(aws.url)
    print(f"seeded again in {report.seconds} s")
    assert [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]] == [
        i["DBInstanceIdentifier"] for i in before
    ]


def test_the_estate_is_the_same_every_time() -> None:
    assert estates() == estates()


def test_scale_zero_keeps_only_what_the_examples_name() -> None:
    def databases(estates: Iterable[Estate]) -> dict[tuple[str, str], Any]:
        return {
            (e.account, e.region): (e.instances, e.clusters, e.snapshots, e.caches, e.tables)
            for e in estates
            if e.instances or e.clusters or e.caches or e.tables
        }

    assert databases(estates(scale=0)) == databases(inventory.FIXED.values())
