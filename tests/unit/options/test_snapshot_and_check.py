"""Snapshots grouped by params, and the one rule for option fields."""

from __future__ import annotations

from dataclasses import replace

from foyer.catalog import OptionField
from foyer.contracts.options import OptionItem
from foyer.options import Snapshot, check_inputs
from tests.unit.options.entries import plain_entry


def snapshot() -> Snapshot:
    items = [
        OptionItem(value=name, params={"region": region, "account": account})
        for name, region, account in [
            ("orders", "us-east-1", "sandbox"),
            ("orders-eu", "eu-west-1", "sandbox"),
            ("ledger", "us-east-1", "prod"),
        ]
    ]
    return Snapshot.build(
        "tables", ["region", "account"], items, version=1, refreshed_at=None, refresh_seconds=60
    )


def test_params_select_groups_and_a_missing_param_matches_any_value() -> None:
    found = snapshot()

    one = found.search("", 10, {"region": "us-east-1", "account": "sandbox"})
    assert [hit.option.value for hit in one.hits] == ["orders"]
    by_region = found.search("", 10, {"region": "us-east-1"})
    assert [hit.option.value for hit in by_region.hits] == ["ledger", "orders"]
    everywhere = found.search("ord", 10, {})
    assert (everywhere.total, everywhere.matched) == (3, 2)
    assert [hit.option.value for hit in everywhere.hits] == ["orders", "orders-eu"]
    assert found.contains("ledger", {"account": "prod"})
    assert not found.contains("ledger", {"account": "sandbox"})
    assert found.stale_after(10) is None


async def test_check_inputs_names_each_field_and_its_params() -> None:
    entry = replace(
        plain_entry(),
        options={"table": OptionField("table", "tables", {"region": "region"})},
    )
    asked = []

    async def contains(option: OptionField, value: str, params: dict[str, str]) -> bool | None:
        asked.append((option.field, value, params))
        return {"orders": True, "gone": False}.get(value)

    assert await check_inputs(entry, {"table": "orders", "region": "us-east-1"}, contains) == []
    assert await check_inputs(entry, {"table": "gone", "region": "us-east-1"}, contains) == [
        ("table", "`gone` is not one of the current options of `tables` for region us-east-1")
    ]
    assert await check_inputs(entry, {"table": "unknowable"}, contains) == []
    assert await check_inputs(entry, {"region": "us-east-1"}, contains) == []
    assert asked[-1] == ("table", "unknowable", {})
