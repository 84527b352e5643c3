"""Option sources and the fields that use them: loading, and every rule with its message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from foyer.catalog import Catalog, OptionField, SourceNotFound

from .builders import ENTRY, WriteCatalog, entry
from .test_catalog_errors import errors_of

SOURCE: dict[str, Any] = {
    "apiVersion": "foyer/v1",
    "kind": "OptionSource",
    "name": "tables",
    "title": "Tables",
    "namespace": "cloud-ops",
    "task_queue": "tables",
    "workflow_id": "options-tables",
    "refresh": "1m",
    "params": [{"name": "account", "title": "Account"}],
}


def with_options(spec: Any, **field: Any) -> dict[str, Any]:
    """The test entry with ``x-foyer-options: spec`` on its ``table`` field."""
    schema = copy.deepcopy(ENTRY["schema"])
    schema["properties"]["table"] = {"type": "string", "x-foyer-options": spec, **field}
    return entry(schema=schema)


def source(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(SOURCE)
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


def load(write_catalog: WriteCatalog, document: Any, *sources: Any) -> Path:
    files = {"team/entry.yaml": document}
    files.update({f"sources/s{i}.yaml": s for i, s in enumerate(sources or (SOURCE,))})
    return write_catalog(files)


def test_a_field_names_its_source_and_the_fields_its_params_come_from(
    write_catalog: WriteCatalog,
) -> None:
    spec = {"source": "tables", "params": {"account": "aws_account"}}
    catalog = Catalog.load(load(write_catalog, with_options(spec)))

    (found,) = catalog.sources
    assert (found.name, found.refresh_seconds, found.param_names) == ("tables", 60, ["account"])
    assert catalog.get("delete-table").options == {
        "table": OptionField(field="table", source="tables", params={"account": "aws_account"})
    }
    assert [(e.id, f) for e, f in catalog.used_by("tables")] == [("delete-table", "table")]
    assert catalog.source("tables") is found
    assert OptionField("table", "tables", {"account": "aws_account"}).param_values(
        {"aws_account": "sandbox", "table": "x"}
    ) == {"account": "sandbox"}


def test_an_option_field_may_come_from_a_shared_definition(write_catalog: WriteCatalog) -> None:
    defs = {
        "defs/tables.yaml": {
            "$defs": {"table": {"type": "string", "x-foyer-options": {"source": "tables"}}}
        }
    }
    schema = copy.deepcopy(ENTRY["schema"])
    schema["properties"]["table"] = {"$ref": "defs/tables.yaml#/$defs/table"}
    root = write_catalog({**defs, "team/entry.yaml": entry(schema=schema), "s.yaml": SOURCE})

    assert Catalog.load(root).get("delete-table").options["table"].source == "tables"


def test_unknown_source_is_an_error_with_a_suggestion(write_catalog: WriteCatalog) -> None:
    assert errors_of(load(write_catalog, with_options({"source": "tabels"}))) == [
        "team/entry.yaml:/schema/properties/table/x-foyer-options/source: "
        "no option source `tabels`; did you mean `tables`?"
    ]


def test_params_must_be_the_sources_and_name_other_fields(write_catalog: WriteCatalog) -> None:
    spec = {"source": "tables", "params": {"acount": "aws_account", "account": "acct"}}
    assert errors_of(load(write_catalog, with_options(spec))) == [
        "team/entry.yaml:/schema/properties/table/x-foyer-options/params/account: "
        "`acct` is not a field of `delete-table`",
        "team/entry.yaml:/schema/properties/table/x-foyer-options/params/acount: "
        "`acount` is not a param of `tables` (it has: account); did you mean `account`?",
    ]


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [
        ("tables", {}, "must be a mapping with `source` (an option source name) and optional"),
        ({"source": "tables", "param": {}}, {}, "is not a known key; did you mean `params`?"),
        ({"source": "tables", "params": {"account": 1}}, {}, "must map each source param"),
        ({"source": "tables", "params": {"account": "table"}}, {}, "cannot depend on itself"),
        ({"source": "tables"}, {"type": "integer"}, "must have `type: string`"),
    ],
)
def test_malformed_declarations(
    write_catalog: WriteCatalog, spec: Any, field: dict[str, Any], message: str
) -> None:
    errors = errors_of(load(write_catalog, with_options(spec, **field)))
    at = "team/entry.yaml:/schema/properties/table/x-foyer-options"
    assert [error for error in errors if error.startswith(at) and message in error], errors


def test_the_source_must_live_where_the_entry_runs(write_catalog: WriteCatalog) -> None:
    document = entry(environments={"stage": {"namespace": "cloud-ops-stage"}, "prod": {}})
    document["schema"]["properties"]["table"]["x-foyer-options"] = {"source": "tables"}
    assert errors_of(load(write_catalog, document)) == [
        "team/entry.yaml:/schema/properties/table/x-foyer-options/source: `tables` is kept in "
        "namespace `cloud-ops` but `delete-table` runs in `cloud-ops-stage` in environment "
        "`stage`; the team side can only check values in its own namespace: give the source "
        "`environments: {stage: {namespace: cloud-ops-stage}}`"
    ]
    fixed = source(environments={"stage": {"namespace": "cloud-ops-stage"}})
    catalog = Catalog.load(load(write_catalog, document, fixed))
    assert catalog.source("tables").target("stage").namespace == "cloud-ops-stage"
    assert [t.namespace for t in catalog.source("tables").targets()] == [
        "cloud-ops",
        "cloud-ops-stage",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"refresh": "soon"}, "/refresh: invalid duration `soon`"),
        ({"params": [{"name": "q"}]}, "/params/0/name: `q` is reserved for the search itself"),
        ({"params": [{"name": "a"}, {"name": "a"}]}, "/params/1/name: `a` is declared twice"),
        ({"workflow_id": None}, "/workflow_id: is required"),
        ({"name": "Tables"}, "/name: must match pattern"),
        ({"titel": "x"}, "/titel: is not a known key; did you mean `title`?"),
    ],
)
def test_source_file_rules(
    write_catalog: WriteCatalog, changes: dict[str, Any], expected: str
) -> None:
    root = write_catalog({"team/entry.yaml": entry(), "sources/s.yaml": source(**changes)})
    (error,) = errors_of(root)
    assert error.startswith(f"sources/s.yaml:{expected}"), error


def test_source_names_are_unique(write_catalog: WriteCatalog) -> None:
    root = write_catalog({"team/entry.yaml": entry(), "a.yaml": SOURCE, "b.yaml": SOURCE})
    (error,) = errors_of(root)
    assert error.startswith("b.yaml:/name: `tables` is already used by ")


def test_unknown_source_lookup_suggests_the_closest(write_catalog: WriteCatalog) -> None:
    catalog = Catalog.load(load(write_catalog, entry()))
    with pytest.raises(SourceNotFound, match=r"`tabels` is not in the catalog; did you mean"):
        catalog.source("tabels")
