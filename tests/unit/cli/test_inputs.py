"""Input fields from a schema, typed values, and validation with the gateway's messages."""

from __future__ import annotations

from typing import Any

import pytest

from foyer.catalog import validate_inputs
from foyer.cli.http import UsageProblem
from foyer.cli.inputs import example_named, parse_value, problems
from foyer.snippets.fields import Field, fields_of

from .fakes import CATALOG, ENTRY_ID

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table_name"],
    "properties": {
        "table_name": {"type": "string", "description": "Table"},
        "region": {"$ref": "#/$defs/region", "default": "eu-west-1"},
        "dry_run": {"type": "boolean", "default": True},
        "count": {"type": ["integer", "null"]},
        "ratio": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "sizes": {"type": "array", "items": {"type": "integer"}},
        "labels": {"type": "object"},
        "mode": {"enum": [1, 2]},
        "wait": {"type": "boolean"},
    },
    "$defs": {"region": {"type": "string", "enum": ["us-east-1", "eu-west-1"]}},
}


def by_name() -> dict[str, Field]:
    return {f.name: f for f in fields_of(SCHEMA)}


def test_fields_follow_refs_and_read_kinds() -> None:
    fields = by_name()
    assert [(f.name, f.kind, f.item_kind) for f in fields.values()] == [
        ("table_name", "string", None),
        ("region", "string", None),
        ("dry_run", "boolean", None),
        ("count", "integer", None),
        ("ratio", "number", None),
        ("tags", "array", "string"),
        ("sizes", "array", "integer"),
        ("labels", "object", None),
        ("mode", "integer", None),
        ("wait", "boolean", None),
    ]
    region = fields["region"]
    assert (region.choices, region.has_default, region.default) == (
        ("us-east-1", "eu-west-1"),
        True,
        "eu-west-1",
    )
    assert fields["table_name"].required and not region.required


def test_flags_are_kebab_case_with_snake_case_accepted() -> None:
    fields = by_name()
    assert fields["table_name"].spellings == ["--table-name", "--table_name"]
    assert fields["region"].spellings == ["--region"]
    # A field named like one of `foyer run`'s own options is prefixed.
    assert fields["wait"].spellings == ["--input-wait", "--input_wait"]


def test_ui_order_comes_first() -> None:
    names = [f.name for f in fields_of(SCHEMA, ["tags", "region", "missing"])]
    assert names[:3] == ["tags", "region", "table_name"]


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("table_name", "007", "007"),
        ("count", "12", 12),
        ("count", "twelve", "twelve"),  # left for validation to report
        ("ratio", "0.5", 0.5),
        ("ratio", "3", 3),
        ("ratio", "nan", "nan"),
        ("tags", ["a", "b c"], ["a", "b c"]),
        ("sizes", ["1", "x"], [1, "x"]),
        ("labels", '{"team": "x"}', {"team": "x"}),
        ("mode", "2", 2),
    ],
)
def test_values_are_typed_from_the_schema(name: str, raw: Any, value: Any) -> None:
    assert parse_value(by_name()[name], raw) == value


def test_object_that_is_not_json_is_a_usage_problem() -> None:
    with pytest.raises(UsageProblem) as raised:
        parse_value(by_name()["labels"], "{team")
    [(field, message)] = raised.value.problems
    assert field == "inputs.labels"
    assert message.startswith("must be object as JSON (")


def test_examples_are_found_by_name_whatever_the_case() -> None:
    examples = [{"name": "Dry run", "inputs": {}}, {"name": "Real", "inputs": {}}]
    assert example_named(examples, "dry RUN") is examples[0]
    with pytest.raises(UsageProblem) as raised:
        example_named(examples, "nope")
    assert raised.value.problems == [
        ("example", "Example `nope` does not exist; the examples are: `Dry run`, `Real`")
    ]


@pytest.mark.parametrize(
    "inputs",
    [
        {},
        {"aws_account": "nope", "region": "mars", "table_name": "x"},
        {"aws_account": "sandbox", "region": "us-east-1", "table_name": "ok-name", "tabel": 1},
        {"aws_account": "sandbox", "region": "us-east-1", "table_name": 5, "dry_run": "yes"},
        {"aws_account": "sandbox", "region": "us-east-1", "table_name": "orders", "reason": "x"},
        {"aws_account": "sandbox", "region": "us-east-1", "table_name": "orders"},
        [],
    ],
)
def test_messages_are_the_gateways(inputs: Any) -> None:
    entry = CATALOG.get(ENTRY_ID)
    expected = [
        ("inputs." + e.field if e.field else "inputs", e.message)
        for e in validate_inputs(entry, inputs)
    ]
    assert problems(ENTRY_ID, entry.schema, inputs) == expected


def test_unknown_field_suggests_the_closest() -> None:
    entry = CATALOG.get(ENTRY_ID)
    inputs = {"aws_account": "sandbox", "region": "us-east-1", "table_nme": "orders"}
    assert problems(ENTRY_ID, entry.schema, inputs) == [
        ("inputs.table_name", "is required"),
        (
            "inputs.table_nme",
            "is not a field of `delete-dynamodb-table`; did you mean `table_name`?",
        ),
    ]


def test_patterns_are_ecma_262_as_in_the_gateway() -> None:
    entry = CATALOG.get(ENTRY_ID)
    inputs = {"aws_account": "sandbox", "region": "us-east-1", "table_name": "orders\n"}
    expected = [("inputs.table_name", "must match pattern ^[A-Za-z0-9_.-]{3,255}$")]
    assert problems(ENTRY_ID, entry.schema, inputs) == expected
    assert [(f"inputs.{e.field}", e.message) for e in validate_inputs(entry, inputs)] == expected
