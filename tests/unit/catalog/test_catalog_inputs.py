"""validate_inputs: the exact FieldErrors the gateway and portal show."""

from __future__ import annotations

from typing import Any

import pytest

from foyer.catalog import Catalog, Entry, FieldError, validate_inputs

from .builders import DEMO, WriteCatalog, entry

VALID = {"aws_account": "sandbox", "region": "us-east-1", "table_name": "orders-archive"}


@pytest.fixture(scope="module")
def demo() -> Entry:
    return Catalog.load(DEMO).get("delete-dynamodb-table")


def test_valid_inputs(demo: Entry) -> None:
    assert validate_inputs(demo, VALID) == []
    assert validate_inputs(demo, {**VALID, "dry_run": False, "reason": "Retired in 2024."}) == []


def test_missing_required_field_names_the_field(demo: Entry) -> None:
    assert validate_inputs(demo, {"aws_account": "sandbox", "region": "us-east-1"}) == [
        FieldError("table_name", "is required")
    ]


def test_every_missing_field(demo: Entry) -> None:
    assert validate_inputs(demo, {}) == [
        FieldError("aws_account", "is required"),
        FieldError("region", "is required"),
        FieldError("table_name", "is required"),
    ]


def test_unknown_field_suggests_the_closest(demo: Entry) -> None:
    inputs = {"aws_account": "sandbox", "region": "us-east-1", "tabel_name": "orders"}
    assert validate_inputs(demo, inputs) == [
        FieldError(
            "tabel_name", "is not a field of `delete-dynamodb-table`; did you mean `table_name`?"
        ),
        FieldError("table_name", "is required"),
    ]


def test_unknown_field_without_a_close_match(demo: Entry) -> None:
    assert validate_inputs(demo, {**VALID, "colour": "blue"}) == [
        FieldError("colour", "is not a field of `delete-dynamodb-table`")
    ]


def test_pattern(demo: Entry) -> None:
    assert validate_inputs(demo, {**VALID, "table_name": "a b"}) == [
        FieldError("table_name", "must match pattern ^[A-Za-z0-9_.-]{3,255}$")
    ]


def test_enum(demo: Entry) -> None:
    assert validate_inputs(demo, {**VALID, "aws_account": "prod"}) == [
        FieldError("aws_account", "must be one of: sandbox, payments-prod, data-prod")
    ]


def test_type(demo: Entry) -> None:
    assert validate_inputs(demo, {**VALID, "dry_run": "false", "table_name": 7}) == [
        FieldError("dry_run", "must be a boolean"),
        FieldError("table_name", "must be a string"),
    ]


def test_min_length(demo: Entry) -> None:
    assert validate_inputs(demo, {**VALID, "reason": "because"}) == [
        FieldError("reason", "must be at least 10 characters")
    ]


@pytest.mark.parametrize("inputs", [None, [], [VALID], "orders", 3, 1.5, True])
def test_inputs_must_be_an_object(demo: Entry, inputs: Any) -> None:
    assert validate_inputs(demo, inputs) == [FieldError("", "inputs must be an object")]


@pytest.mark.parametrize(
    "value",
    [None, [], {}, {"a": [1, {"b": None}]}, 1e308, -(2**70), "\u0000", "x" * 10_000],
)
def test_never_raises_on_any_json_value(demo: Entry, value: Any) -> None:
    for field in ("aws_account", "region", "table_name", "dry_run", "reason", "other"):
        assert isinstance(validate_inputs(demo, {**VALID, field: value}), list)


def test_nested_fields_use_dotted_paths(write_catalog: WriteCatalog) -> None:
    schema = {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
            "owner": {
                "type": "object",
                "required": ["email"],
                "additionalProperties": False,
                "properties": {"email": {"type": "string", "format": "email"}},
            },
            "count": {"type": "integer", "minimum": 1, "maximum": 5},
            "note": {"type": ["string", "null"]},
        },
    }
    root = write_catalog({"a.yaml": entry(schema=schema, examples=[{"name": "x", "inputs": {}}])})
    e = Catalog.load(root).get("delete-table")
    inputs = {
        "tags": ["ok", 3, "x"],
        "owner": {"mail": "a@b.c"},
        "count": 9,
        "note": 1,
    }
    assert validate_inputs(e, inputs) == [
        FieldError("count", "must be at most 5"),
        FieldError("note", "must be a string or null"),
        FieldError("owner.email", "is required"),
        FieldError("owner.mail", "is not a field of `owner`; did you mean `email`?"),
        FieldError("tags", "must have at most 2 items"),
        FieldError("tags.1", "must be a string"),
    ]
    assert validate_inputs(e, {"owner": {"email": "not-an-email"}, "count": 0}) == [
        FieldError("count", "must be at least 1"),
        FieldError("owner.email", "must be a valid email"),
    ]


def test_open_schema_allows_extra_fields(write_catalog: WriteCatalog) -> None:
    schema = {"type": "object", "additionalProperties": True, "properties": {}}
    root = write_catalog({"a.yaml": entry(schema=schema, examples=[{"name": "x", "inputs": {}}])})
    e = Catalog.load(root).get("delete-table")
    assert validate_inputs(e, {"anything": 1}) == []
