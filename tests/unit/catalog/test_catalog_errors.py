"""Every load rule, each with the exact error it reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from foyer.catalog import Catalog, CatalogError, CatalogInvalid

from .builders import ENTRY, WriteCatalog, entry


def errors_of(root: Path) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        Catalog.load(root)
    assert str(caught.value) == "\n".join(str(e) for e in caught.value.errors)
    return [str(error).removeprefix(f"{root}/") for error in caught.value.errors]


def only(write_catalog: WriteCatalog, document: Any) -> list[str]:
    return errors_of(write_catalog({"team/entry.yaml": document}))


def test_catalog_error_formats_as_file_pointer_message() -> None:
    error = CatalogError(Path("c/x.yaml"), "/schema/properties/x", "is bad")
    assert str(error) == "c/x.yaml:/schema/properties/x: is bad"
    assert str(CatalogError(Path("c/x.yaml"), "", "is bad")) == "c/x.yaml:/: is bad"
    assert error == CatalogError(Path("c/x.yaml"), "/schema/properties/x", "is bad")


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CatalogInvalid) as caught:
        Catalog.load(tmp_path / "nope")
    assert caught.value.errors == [CatalogError(tmp_path / "nope", "", "is not a directory")]


def test_yaml_syntax_error_names_the_line(write_catalog: WriteCatalog) -> None:
    text = "apiVersion: foyer/v1\nkind: Workflow\nid: [oops\ntitle: x\n"
    assert only(write_catalog, text) == [
        "team/entry.yaml:/: invalid YAML at line 4, column 6: expected ',' or ']', but got ':'"
    ]


def test_duplicate_yaml_key(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, "id: a\nid: b\n") == [
        "team/entry.yaml:/: invalid YAML at line 2, column 1: duplicate key `id`"
    ]


def test_json_syntax_error_names_the_line(write_catalog: WriteCatalog) -> None:
    root = write_catalog({"team/entry.json": '{\n  "id": "x",\n}\n'})
    assert errors_of(root) == [
        "team/entry.json:/: invalid JSON at line 3, column 1: "
        "Expecting property name enclosed in double quotes"
    ]


def test_not_a_mapping(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, "- a\n- b\n") == [
        "team/entry.yaml:/: must be a mapping describing one workflow"
    ]


def test_unknown_api_version(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(apiVersion="foyer/v9")) == [
        "team/entry.yaml:/apiVersion: unsupported apiVersion `foyer/v9`; "
        "supported versions: foyer/v1"
    ]


def test_missing_api_version(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(apiVersion=None)) == [
        "team/entry.yaml:/apiVersion: is required; supported versions: foyer/v1"
    ]


def test_unknown_top_level_key(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(titel="x")) == [
        "team/entry.yaml:/titel: is not a known key; did you mean `title`?"
    ]


def test_missing_required_keys_are_all_reported(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(title=None, task_queue=None, examples=None)) == [
        "team/entry.yaml:/examples: is required",
        "team/entry.yaml:/task_queue: is required",
        "team/entry.yaml:/title: is required",
    ]


def test_bad_id_and_kind(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(id="Delete_Table", kind="Job")) == [
        "team/entry.yaml:/id: must match pattern ^[a-z][a-z0-9-]{1,62}$",
        "team/entry.yaml:/kind: must be one of: Workflow, OptionSource",
    ]


def test_min_approvers_must_be_positive(write_catalog: WriteCatalog) -> None:
    approval = {"required": True, "min_approvers": 0}
    assert only(write_catalog, entry(approval=approval)) == [
        "team/entry.yaml:/approval/min_approvers: must be at least 1"
    ]


def test_bad_durations(write_catalog: WriteCatalog) -> None:
    document = entry(approval={"required": True, "timeout": "1 day"}, timeout="soon")
    assert only(write_catalog, document) == [
        "team/entry.yaml:/approval/timeout: invalid duration `1 day`: "
        "use a number followed by s, m, h or d, e.g. 90m, 24h, 7d",
        "team/entry.yaml:/timeout: invalid duration `soon`: "
        "use a number followed by s, m, h or d, e.g. 90m, 24h, 7d",
    ]


def test_default_environment_must_be_declared(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(default_environment="production")) == [
        "team/entry.yaml:/default_environment: `production` is not one of the environments: "
        "prod, stage"
    ]


def test_unknown_environment_override_key(write_catalog: WriteCatalog) -> None:
    document = entry(environments={"prod": {"namespce": "x"}})
    assert only(write_catalog, document) == [
        "team/entry.yaml:/environments/prod/namespce: is not a known key; did you mean `namespace`?"
    ]


def test_approval_needs_approvers(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(access={"run": ["engineering"]})) == [
        "team/entry.yaml:/access/approve: must name at least one group when approval is required"
    ]


def test_example_environment_must_be_declared(write_catalog: WriteCatalog) -> None:
    examples = [{"name": "x", "environment": "qa", "inputs": ENTRY["examples"][0]["inputs"]}]
    assert only(write_catalog, entry(examples=examples)) == [
        "team/entry.yaml:/examples/0/environment: `qa` is not one of the environments: prod, stage"
    ]


def test_needs_an_example(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(examples=[])) == [
        "team/entry.yaml:/examples: must have at least 1 item"
    ]


def test_every_invalid_example_is_reported(write_catalog: WriteCatalog) -> None:
    examples = [
        {"name": "good", "inputs": {"aws_account": "sandbox", "table": "orders"}},
        {"name": "bad", "inputs": {"aws_account": "prod", "tabel": "orders"}},
        {"name": "worse", "inputs": {"aws_account": "sandbox", "table": "X", "dry_run": "no"}},
    ]
    assert only(write_catalog, entry(examples=examples)) == [
        "team/entry.yaml:/examples/1/inputs/aws_account: must be one of: sandbox, data-prod",
        "team/entry.yaml:/examples/1/inputs/tabel: is not a field of `delete-table`; "
        "did you mean `table`?",
        "team/entry.yaml:/examples/1/inputs/table: is required",
        "team/entry.yaml:/examples/2/inputs/dry_run: must be a boolean",
        "team/entry.yaml:/examples/2/inputs/table: must match pattern ^[a-z-]{3,}$",
    ]


def test_input_schema_must_be_an_object_schema(write_catalog: WriteCatalog) -> None:
    assert only(write_catalog, entry(schema={"type": "string"})) == [
        "team/entry.yaml:/schema/type: must be object"
    ]


def test_input_schema_must_be_valid_2020_12(write_catalog: WriteCatalog) -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "text"}, "b": {"type": "string", "pattern": "("}},
    }
    assert only(write_catalog, entry(schema=schema)) == [
        "team/entry.yaml:/schema/properties/a/type: "
        "must be one of: array, boolean, integer, null, number, object, string",
        "team/entry.yaml:/schema/properties/b/pattern: "
        "must be a valid ECMA-262 regular expression: Unbalanced parenthesis",
    ]


def test_unresolvable_refs_are_named(write_catalog: WriteCatalog) -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"$ref": "defs/aws.yaml#/$defs/aws_acount_name"},
            "b": {"$ref": "defs/gcp.yaml#/$defs/project"},
            "c": {"$ref": "#/$defs/missing"},
            "d": {"$ref": "https://example.com/schema.json"},
        },
    }
    assert only(write_catalog, entry(schema=schema)) == [
        "team/entry.yaml:/schema/properties/a/$ref: cannot resolve `$ref` "
        "`defs/aws.yaml#/$defs/aws_acount_name`: `defs/aws.yaml` has no "
        "`#/$defs/aws_acount_name`; did you mean `aws_account_name`?",
        "team/entry.yaml:/schema/properties/b/$ref: cannot resolve `$ref` "
        "`defs/gcp.yaml#/$defs/project`: no definitions file `defs/gcp.yaml` "
        "(known: defs/aws.yaml, defs/common.yaml)",
        "team/entry.yaml:/schema/properties/c/$ref: cannot resolve `$ref` `#/$defs/missing`",
        "team/entry.yaml:/schema/properties/d/$ref: cannot resolve `$ref` "
        "`https://example.com/schema.json`: only files under `defs/` may be referenced",
    ]


def test_bad_shared_definitions_file(write_catalog: WriteCatalog) -> None:
    root = write_catalog(
        {
            "defs/broken.yaml": {"$defs": {"x": {"$ref": "#/$defs/y"}}, "extra": 1},
            "defs/list.yaml": "- 1\n",
            "a.yaml": entry(),
        }
    )
    assert errors_of(root) == [
        "defs/broken.yaml:/extra: is not allowed in a definitions file",
        "defs/list.yaml:/: must be a mapping with a `$defs` mapping",
        "defs/broken.yaml:/$defs/x/$ref: cannot resolve `$ref` `#/$defs/y`: "
        "`defs/broken.yaml` has no `#/$defs/y`",
    ]


def test_ids_must_be_unique(write_catalog: WriteCatalog) -> None:
    root = write_catalog({"a.yaml": entry(), "b.yaml": entry(workflow_type="Other")})
    assert errors_of(root) == [f"b.yaml:/id: `delete-table` is already used by {root}/a.yaml"]


def test_workflow_types_must_be_unique_per_namespace(write_catalog: WriteCatalog) -> None:
    root = write_catalog(
        {
            "a.yaml": entry(),
            "b.yaml": entry(id="again"),
            "c.yaml": entry(id="elsewhere", namespace="data"),
        }
    )
    assert errors_of(root) == [
        "b.yaml:/workflow_type: `DeleteTable` is already published in namespace `cloud-ops` "
        f"by `delete-table` ({root}/a.yaml)"
    ]


def test_ui_schema_must_match_the_schema(write_catalog: WriteCatalog) -> None:
    ui_schema = {"ui:order": ["table", "acount"], "tabel": {"ui:widget": "textarea"}}
    assert only(write_catalog, entry(ui_schema=ui_schema)) == [
        "team/entry.yaml:/ui_schema/tabel: is not a field of the schema; did you mean `table`?",
        "team/entry.yaml:/ui_schema/ui:order/1: `acount` is not a field of the schema; "
        "did you mean `aws_account`?",
        "team/entry.yaml:/ui_schema/ui:order: must list every field or end with `*`; "
        "missing: aws_account, dry_run",
    ]


def test_errors_from_every_file_are_collected(write_catalog: WriteCatalog) -> None:
    root = write_catalog(
        {
            "a.yaml": entry(id="aa", workflow_type="A", timeout="never"),
            "b/b.yaml": entry(id="bb", workflow_type="B", owners=[]),
            "c.json": "{",
        }
    )
    assert errors_of(root) == [
        "a.yaml:/timeout: invalid duration `never`: "
        "use a number followed by s, m, h or d, e.g. 90m, 24h, 7d",
        "b/b.yaml:/owners: must have at least 1 item",
        "c.json:/: invalid JSON at line 1, column 2: Expecting property name enclosed in "
        "double quotes",
    ]


def test_other_json_schema_drafts_are_rejected(write_catalog: WriteCatalog) -> None:
    schema = {**ENTRY["schema"], "$schema": "http://json-schema.org/draft-07/schema#"}
    assert only(write_catalog, entry(schema=schema)) == [
        "team/entry.yaml:/schema/$schema: "
        "must be https://json-schema.org/draft/2020-12/schema or left out"
    ]


def test_structural_and_example_errors_are_reported_together(write_catalog: WriteCatalog) -> None:
    examples = [{"name": "bad", "inputs": {"aws_account": "sandbox"}}]
    document = entry(titel="x", approval={"required": True, "min_approvers": 0}, examples=examples)
    assert only(write_catalog, document) == [
        "team/entry.yaml:/approval/min_approvers: must be at least 1",
        "team/entry.yaml:/titel: is not a known key; did you mean `title`?",
        "team/entry.yaml:/examples/0/inputs/table: is required",
    ]


def test_errors_in_required_keys_stop_further_checks(write_catalog: WriteCatalog) -> None:
    examples = [{"name": "bad", "inputs": {"aws_account": "sandbox"}}]
    document = entry(environments={"Prod": {}}, examples=examples)
    assert only(write_catalog, document) == [
        "team/entry.yaml:/environments: key `Prod` must match pattern ^[a-z][a-z0-9-]{0,31}$"
    ]
