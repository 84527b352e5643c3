"""Patterns follow JSON Schema's ECMA-262 semantics, not Python's ``re``."""

from __future__ import annotations

from typing import Any

import pytest

from foyer.catalog import Catalog, CatalogInvalid, Entry, FieldError, validate_inputs

from .builders import DEMO, WriteCatalog, entry

VALID = {"aws_account": "sandbox", "region": "us-east-1", "table_name": "orders"}


@pytest.fixture(scope="module")
def demo() -> Entry:
    return Catalog.load(DEMO).get("delete-dynamodb-table")


def load(write_catalog: WriteCatalog, properties: dict[str, Any], **schema: Any) -> Entry:
    document = entry(
        schema={"type": "object", "properties": properties, **schema},
        examples=[{"name": "empty", "inputs": {}}],
    )
    return Catalog.load(write_catalog({"team/entry.yaml": document})).get("delete-table")


def load_errors(
    write_catalog: WriteCatalog, properties: dict[str, Any], **schema: Any
) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        load(write_catalog, properties, **schema)
    return [f"{e.pointer}: {e.message}" for e in caught.value.errors]


@pytest.mark.parametrize("name", ["orders\n", "\norders", "orders\r\n", "ord\ners"])
def test_dollar_matches_only_at_the_very_end(demo: Entry, name: str) -> None:
    # Python's re.search lets `$` match before a trailing newline; ECMA-262 does not.
    assert validate_inputs(demo, {**VALID, "table_name": name}) == [
        FieldError("table_name", "must match pattern ^[A-Za-z0-9_.-]{3,255}$")
    ]


def test_a_valid_name_still_matches(demo: Entry) -> None:
    assert validate_inputs(demo, VALID) == []


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^\d+$", "123", True),
        (r"^\d+$", "١٢٣", False),  # Arabic-Indic digits: \d is ASCII in ECMA-262
        (r"^\w+$", "hello_1", True),
        (r"^\w+$", "héllo", False),  # \w is ASCII in ECMA-262
        (r"^\p{Lu}\p{Ll}+$", "Émile", True),  # Unicode property classes (u flag)
        (r"^\p{Lu}\p{Ll}+$", "émile", False),
        (r"^.$", "😀", True),  # one code point, not two UTF-16 units
        (r"^[a-z]+$", "abc", True),
        (r"^[a-z]+$", "ABC", False),
        ("b", "abc", True),  # unanchored: a match anywhere
    ],
)
def test_ecma_semantics(
    write_catalog: WriteCatalog, pattern: str, text: str, matches: bool
) -> None:
    e = load(write_catalog, {"value": {"type": "string", "pattern": pattern}})
    expected = [] if matches else [FieldError("value", f"must match pattern {pattern}")]
    assert validate_inputs(e, {"value": text}) == expected


def test_pattern_properties_use_ecma_semantics(write_catalog: WriteCatalog) -> None:
    e = load(
        write_catalog,
        {},
        patternProperties={"^x-[a-z]+$": {"type": "string"}},
        additionalProperties=False,
    )
    assert validate_inputs(e, {"x-team": "cloud-ops"}) == []
    assert validate_inputs(e, {"x-team": 3}) == [FieldError("x-team", "must be a string")]
    assert validate_inputs(e, {"x-team\n": "cloud-ops"}) == [
        FieldError("x-team\n", "is not a field of `delete-table`")
    ]


def test_a_lone_surrogate_is_refused_not_raised(write_catalog: WriteCatalog) -> None:
    e = load(write_catalog, {"value": {"type": "string", "pattern": "^.+$"}})
    assert validate_inputs(e, {"value": "a\ud800"}) == [
        FieldError("value", "is not valid Unicode text")
    ]


def test_regex_format_means_ecma_262(write_catalog: WriteCatalog) -> None:
    e = load(write_catalog, {"filter": {"type": "string", "format": "regex"}})
    assert validate_inputs(e, {"filter": "^orders-[0-9]+$"}) == []
    assert validate_inputs(e, {"filter": "(?P<n>x)"}) == [
        FieldError("filter", "must be a valid ECMA-262 regular expression: Invalid group modifier")
    ]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?P<name>a)", "Invalid group modifier"),  # Python's named groups
        ("(?i)abc", "Invalid group modifier"),  # inline flags
        (r"^abc\Z", "Invalid character escape"),  # Python's end of string
        ("[", "Unbalanced bracket"),
    ],
)
def test_catalog_refuses_patterns_that_are_not_ecma_262(
    write_catalog: WriteCatalog, pattern: str, reason: str
) -> None:
    assert load_errors(write_catalog, {"value": {"type": "string", "pattern": pattern}}) == [
        f"/schema/properties/value/pattern: must be a valid ECMA-262 regular expression: {reason}"
    ]


def test_catalog_refuses_pattern_property_keys_that_are_not_ecma_262(
    write_catalog: WriteCatalog,
) -> None:
    assert load_errors(write_catalog, {}, patternProperties={"(?P<x>a)": {}}) == [
        "/schema/patternProperties: key `(?P<x>a)` "
        "must be a valid ECMA-262 regular expression: Invalid group modifier"
    ]


def test_unevaluated_properties_with_pattern_properties_is_refused(
    write_catalog: WriteCatalog,
) -> None:
    assert load_errors(
        write_catalog,
        {"name": {"type": "string"}},
        patternProperties={"^x-": {"type": "string"}},
        unevaluatedProperties=False,
    ) == [
        "/schema/unevaluatedProperties: "
        "cannot be combined with `patternProperties`; use `additionalProperties`"
    ]


def test_a_property_named_like_a_keyword_is_not_a_keyword(write_catalog: WriteCatalog) -> None:
    e = load(
        write_catalog,
        {"patternProperties": {"type": "string"}},
        unevaluatedProperties=False,
    )
    assert validate_inputs(e, {"patternProperties": "x"}) == []


def test_entry_ids_follow_ecma_semantics_too(write_catalog: WriteCatalog) -> None:
    with pytest.raises(CatalogInvalid) as caught:
        Catalog.load(write_catalog({"team/entry.yaml": entry(id="delete-table\n")}))
    assert [f"{e.pointer}: {e.message}" for e in caught.value.errors] == [
        "/id: must match pattern ^[a-z][a-z0-9-]{1,62}$"
    ]
