import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from foyer.catalog import (
    Catalog,
    EntryNotFound,
    FieldError,
    InputError,
    Target,
    UnknownEnvironment,
    validate_inputs,
)
from foyer.catalog.validation import _VALIDATORS

from .builders import DEMO, WriteCatalog, entry


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(DEMO)


def test_loads_the_demo_catalog(catalog: Catalog) -> None:
    assert [e.id for e in catalog.entries] == [
        "clone-rds-cluster",
        "create-temporal-namespace",
        "delete-dynamodb-table",
        "delete-elasticache",
        "delete-old-rds-snapshots",
        "delete-rds",
        "enable-rds-performance-insights",
        "reboot-rds-instance",
        "resize-rds",
        "set-up-nexus-endpoint",
        "upgrade-redis-to-valkey",
    ]
    e = catalog.get("delete-dynamodb-table")
    assert e.title == "Delete a DynamoDB table"
    assert e.owners == ["cloud-ops"]
    assert e.tags == ["aws", "dynamodb", "destructive"]
    assert e.workflow_type == "DeleteDynamoDBTable"
    assert (e.namespace, e.nexus_endpoint, e.task_queue) == (
        "cloud-ops",
        "cloud-ops",
        "datastore-queue",
    )
    assert e.default_environment == "prod"
    assert sorted(e.environments) == ["prod", "stage"]
    assert e.access.run == ["engineering"]
    assert e.access.approve == ["cloud-ops"]
    assert e.approval.required is True
    assert e.approval.min_approvers == 1
    assert e.approval.allow_self_approval is False
    assert e.approval.timeout_seconds == 86400
    assert e.timeout_seconds == 3600
    assert e.ui_schema is not None
    assert e.ui_schema["reason"]["ui:widget"] == "textarea"
    assert "dry run" in e.guide.lower()
    assert len(e.examples) >= 2
    assert e.source == DEMO / "cloud-ops" / "delete-dynamodb-table.yaml"


def test_resolved_schema_is_self_contained(catalog: Catalog) -> None:
    schema = catalog.get("delete-dynamodb-table").schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["aws_account"] == {"$ref": "#/$defs/aws_account_name"}
    assert schema["properties"]["region"] == {"$ref": "#/$defs/aws_region"}
    assert schema["properties"]["dry_run"] == {"$ref": "#/$defs/dry_run"}
    assert schema["$defs"]["aws_account_name"]["enum"] == ["sandbox", "payments-prod", "data-prod"]
    assert schema["$defs"]["aws_region"]["default"] == "us-east-1"
    assert schema["$defs"]["dry_run"] == {
        "type": "boolean",
        "title": "Dry run",
        "description": "Plan only; change nothing",
        "default": True,
    }
    assert not [ref for ref in _refs(schema) if not ref.startswith("#")]
    Draft202012Validator.check_schema(schema)
    # A validator with no registry can only follow local refs.
    validator = Draft202012Validator(schema)
    for example in catalog.get("delete-dynamodb-table").examples:
        validator.validate(example.inputs)


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_get_suggests_the_closest_id(catalog: Catalog) -> None:
    with pytest.raises(EntryNotFound) as caught:
        catalog.get("delete-dynamo-table")
    assert caught.value.entry_id == "delete-dynamo-table"
    assert caught.value.suggestion == "delete-dynamodb-table"
    assert str(caught.value) == (
        "Workflow `delete-dynamo-table` is not in the catalog; "
        "did you mean `delete-dynamodb-table`?"
    )


def test_get_without_suggestion(catalog: Catalog) -> None:
    with pytest.raises(EntryNotFound) as caught:
        catalog.get("rotate-keys")
    assert caught.value.suggestion is None
    assert str(caught.value) == "Workflow `rotate-keys` is not in the catalog"


def test_target_resolves_the_default_and_named_environments(catalog: Catalog) -> None:
    e = catalog.get("delete-dynamodb-table")
    assert e.target(None) == Target("prod", "cloud-ops", "cloud-ops", "datastore-queue")
    assert e.target("stage") == Target(
        "stage", "cloud-ops-stage", "cloud-ops-stage", "datastore-queue"
    )


def test_target_rejects_unknown_environment(catalog: Catalog) -> None:
    with pytest.raises(UnknownEnvironment) as caught:
        catalog.get("delete-dynamodb-table").target("qa")
    assert caught.value.allowed == ["prod", "stage"]
    assert str(caught.value) == (
        "Workflow `delete-dynamodb-table` has no environment `qa`; choose one of: prod, stage"
    )


def test_environment_overrides_and_for_namespace(write_catalog: WriteCatalog) -> None:
    root = write_catalog(
        {
            "a.yaml": entry(
                environments={
                    "stage": {"namespace": "cloud-ops-stage", "task_queue": "q2"},
                    "prod": None,
                }
            ),
            "b.yaml": entry(id="other", namespace="data"),
        }
    )
    catalog = Catalog.load(root)
    e = catalog.get("delete-table")
    assert e.target("stage") == Target("stage", "cloud-ops-stage", "cloud-ops", "q2")
    assert e.target("prod") == Target("prod", "cloud-ops", "cloud-ops", "tables")
    assert [x.id for x in catalog.for_namespace("cloud-ops-stage")] == ["delete-table"]
    assert [x.id for x in catalog.for_namespace("cloud-ops")] == ["delete-table"]
    assert [x.id for x in catalog.for_namespace("data")] == ["other"]
    assert catalog.for_namespace("nobody") == []


def test_entries_are_sorted_and_defaults_apply(write_catalog: WriteCatalog) -> None:
    root = write_catalog(
        {
            "z/first.json": entry(id="zeta", workflow_type="Zeta", approval=None),
            "alpha.yml": entry(id="alpha", workflow_type="Alpha"),
        }
    )
    catalog = Catalog.load(root)
    assert [e.id for e in catalog.entries] == ["alpha", "zeta"]
    zeta = catalog.get("zeta")
    assert zeta.approval.required is False
    assert zeta.timeout_seconds == 3600
    assert zeta.tags == []
    assert zeta.guide == ""
    assert zeta.ui_schema is None


def test_access_checks() -> None:
    e = Catalog.load(DEMO).get("delete-dynamodb-table")
    assert e.may_run(["engineering", "other"])
    assert not e.may_run(["cloud-ops"])
    assert not e.may_run([])
    assert e.may_approve({"cloud-ops"})
    assert not e.may_approve(["engineering"])


def test_any_group_wildcard(write_catalog: WriteCatalog) -> None:
    root = write_catalog({"a.yaml": entry(access={"run": ["*"], "approve": ["*"]})})
    e = Catalog.load(root).get("delete-table")
    assert e.may_run([])
    assert e.may_approve(["whoever"])


def test_input_error_joins_field_errors() -> None:
    err = InputError(
        [FieldError("table", "is required"), FieldError("", "inputs must be an object")]
    )
    assert str(err) == "table: is required; inputs must be an object"
    assert err.errors[0] == FieldError("table", "is required")


def test_validator_is_compiled_once(catalog: Catalog) -> None:
    e = catalog.get("delete-dynamodb-table")
    validate_inputs(e, {})
    first = _VALIDATORS[e]
    validate_inputs(e, {"x": 1})
    assert _VALIDATORS[e] is first


def test_shared_def_files_can_reference_each_other(write_catalog: WriteCatalog) -> None:
    defs = {
        "defs/aws.yaml": {
            "$defs": {
                "account": {"$ref": "#/$defs/name"},
                "name": {"type": "string", "enum": ["sandbox"]},
                "flag": {"$ref": "common.yaml#/$defs/dry_run"},
            }
        },
    }
    schema = {
        "type": "object",
        "properties": {
            "account": {"$ref": "defs/aws.yaml#/$defs/account"},
            "flag": {"$ref": "defs/aws.yaml#/$defs/flag"},
        },
    }
    examples = [{"name": "x", "inputs": {"account": "sandbox", "flag": False}}]
    root = write_catalog({**defs, "a.yaml": entry(schema=schema, examples=examples)})
    resolved = Catalog.load(root).get("delete-table").schema
    assert resolved["$defs"] == {
        "account": {"$ref": "#/$defs/name"},
        "name": {"type": "string", "enum": ["sandbox"]},
        "flag": {"$ref": "#/$defs/dry_run"},
        "dry_run": {"type": "boolean", "default": True},
    }


def test_inlined_names_do_not_clobber_the_entrys_own_defs(write_catalog: WriteCatalog) -> None:
    schema = {
        "type": "object",
        "$defs": {"dry_run": {"type": "string"}},
        "properties": {
            "mine": {"$ref": "#/$defs/dry_run"},
            "shared": {"$ref": "defs/common.yaml#/$defs/dry_run"},
        },
    }
    examples = [{"name": "x", "inputs": {"mine": "yes", "shared": True}}]
    root = write_catalog({"a.yaml": entry(schema=schema, examples=examples)})
    resolved = Catalog.load(root).get("delete-table").schema
    assert resolved["properties"]["shared"] == {"$ref": "#/$defs/common.dry_run"}
    assert resolved["$defs"]["dry_run"] == {"type": "string"}
    assert resolved["$defs"]["common.dry_run"] == {"type": "boolean", "default": True}


def test_files_under_defs_and_hidden_dirs_are_not_entries(write_catalog: WriteCatalog) -> None:
    root = write_catalog({"a.yaml": entry(), ".github/ci.yaml": "on: push\n", "README.md": "#"})
    assert [e.id for e in Catalog.load(root).entries] == ["delete-table"]


def test_demo_path_is_real() -> None:
    assert Path(DEMO / "defs" / "aws.yaml").is_file()


def test_catalog_imports_no_runtime_frameworks() -> None:
    code = (
        "import sys, foyer.catalog; "
        "print([m for m in sys.modules if m.split('.')[0] in ('temporalio', 'fastapi', 'typer')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
