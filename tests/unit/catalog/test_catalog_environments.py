"""Per-environment targets and approval policies."""

from __future__ import annotations

import pytest

from foyer.catalog import Approval, Catalog, CatalogInvalid, Target, UnknownEnvironment
from foyer.publish.policy import approval_policy

from .builders import WriteCatalog, entry

STAGE_AND_PROD = {
    "stage": {
        "namespace": "cloud-ops-stage",
        "nexus_endpoint": "cloud-ops-stage",
        "approval": {"required": False},
    },
    "prod": {"approval": {"min_approvers": 2, "timeout": "2h"}},
}


def load_one(write_catalog: WriteCatalog, **changes: object) -> Catalog:
    return Catalog.load(write_catalog({"team/entry.yaml": entry(**changes)}))


def test_environments_map_to_their_own_namespace_and_endpoint(
    write_catalog: WriteCatalog,
) -> None:
    e = load_one(write_catalog, environments=STAGE_AND_PROD).get("delete-table")
    assert e.target("stage") == Target("stage", "cloud-ops-stage", "cloud-ops-stage", "tables")
    assert e.target("prod") == Target("prod", "cloud-ops", "cloud-ops", "tables")


def test_an_environment_overrides_only_the_approval_fields_it_sets(
    write_catalog: WriteCatalog,
) -> None:
    e = load_one(write_catalog, environments=STAGE_AND_PROD).get("delete-table")
    assert e.approval == Approval(required=True, timeout_seconds=86400)
    assert e.approval_for("stage") == Approval(required=False, timeout_seconds=86400)
    assert e.approval_for("prod") == Approval(required=True, min_approvers=2, timeout_seconds=7200)
    assert e.approval_for(None) == e.approval_for("prod")


def test_an_environment_without_an_override_uses_the_entry_policy(
    write_catalog: WriteCatalog,
) -> None:
    e = load_one(write_catalog).get("delete-table")
    assert e.approval_for("stage") == e.approval


def test_unknown_environment_has_no_policy(write_catalog: WriteCatalog) -> None:
    e = load_one(write_catalog).get("delete-table")
    with pytest.raises(UnknownEnvironment):
        e.approval_for("qa")


def test_team_policy_follows_the_run_environment(write_catalog: WriteCatalog) -> None:
    e = load_one(write_catalog, environments=STAGE_AND_PROD).get("delete-table")
    stage, prod = approval_policy(e, "stage"), approval_policy(e, "prod")
    assert (stage.required, stage.approver_groups) == (False, ["cloud-ops"])
    assert (prod.required, prod.min_approvers, prod.timeout_seconds) == (True, 2, 7200)
    assert approval_policy(e) == prod


def errors(write_catalog: WriteCatalog, **changes: object) -> list[str]:
    root = write_catalog({"team/entry.yaml": entry(**changes)})
    with pytest.raises(CatalogInvalid) as caught:
        Catalog.load(root)
    return [str(error).removeprefix(f"{root}/") for error in caught.value.errors]


def test_override_keys_are_checked(write_catalog: WriteCatalog) -> None:
    assert errors(
        write_catalog,
        environments={"stage": {"approval": {"requird": False}}, "prod": {}},
    ) == [
        "team/entry.yaml:/environments/stage/approval/requird: "
        "is not a known key; did you mean `required`?"
    ]


def test_override_timeout_is_a_duration(write_catalog: WriteCatalog) -> None:
    assert errors(
        write_catalog, environments={"stage": {"approval": {"timeout": "soon"}}, "prod": {}}
    ) == [
        "team/entry.yaml:/environments/stage/approval/timeout: "
        "invalid duration `soon`: use a number followed by s, m, h or d, e.g. 90m, 24h, 7d"
    ]


def test_requiring_approval_in_one_environment_needs_approvers(
    write_catalog: WriteCatalog,
) -> None:
    assert errors(
        write_catalog,
        access={"run": ["engineering"]},
        approval={"required": False},
        environments={"stage": {}, "prod": {"approval": {"required": True}}},
    ) == [
        "team/entry.yaml:/environments/prod/approval: "
        "requires approval, so `access.approve` must name at least one group"
    ]
