"""Finding disagreements between an entry's schema and the model a workflow reads it with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from foyer.catalog import Catalog
from foyer.testing import assert_models_fit, example_cases, model_problems

ENTRY: dict[str, Any] = {
    "apiVersion": "foyer/v1",
    "kind": "Workflow",
    "id": "resize",
    "title": "Resize",
    "description": "Resizes.",
    "owners": ["team-a"],
    "workflow_type": "Resize",
    "namespace": "team-a",
    "nexus_endpoint": "team-a",
    "task_queue": "q",
    "default_environment": "prod",
    "environments": {"prod": {}},
    "access": {"run": ["*"]},
    "schema": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "size": {"type": "integer", "default": 2},
            "dry_run": {"$ref": "#/$defs/dry_run"},
        },
        "$defs": {"dry_run": {"type": "boolean", "default": True}},
    },
    "examples": [
        {"name": "Small", "inputs": {"name": "a", "size": 1}},
        {"name": "Default", "inputs": {"name": "b"}},
    ],
}


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    (tmp_path / "resize.yaml").write_text(yaml.safe_dump(ENTRY, sort_keys=False))
    return Catalog.load(tmp_path)


class Fits(BaseModel):
    name: str
    size: int = 2
    dry_run: bool = True


class Disagrees(BaseModel):
    name: int
    size: int = 3
    dry_run: bool = False
    owner: str


class Partial(BaseModel):
    name: str


def test_a_model_that_fits_has_no_problems(catalog: Catalog) -> None:
    assert model_problems(catalog.get("resize"), Fits) == []
    assert_models_fit(catalog, {"resize": Fits})


def test_each_disagreement_is_named(catalog: Catalog) -> None:
    assert model_problems(catalog.get("resize"), Disagrees) == [
        "resize: `size` defaults to 2 in the schema but to 3 in Disagrees",
        "resize: `dry_run` defaults to True in the schema but to False in Disagrees",
        "resize: Disagrees requires `owner`, which the schema does not have",
        "resize: example `Small` does not fit Disagrees: "
        "name: Input should be a valid integer, unable to parse string as an integer",
        "resize: example `Small` does not fit Disagrees: owner: Field required",
        "resize: example `Default` does not fit Disagrees: "
        "name: Input should be a valid integer, unable to parse string as an integer",
        "resize: example `Default` does not fit Disagrees: owner: Field required",
    ]


def test_fields_the_model_would_drop(catalog: Catalog) -> None:
    assert model_problems(catalog.get("resize"), Partial) == [
        "resize: `size` is in the schema but not in Partial",
        "resize: `dry_run` is in the schema but not in Partial",
    ]


def test_assert_models_fit_lists_every_problem(catalog: Catalog) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_models_fit(catalog, {"resize": Partial})
    assert str(caught.value).splitlines() == model_problems(catalog.get("resize"), Partial)


def test_example_cases_name_entry_and_example(catalog: Catalog) -> None:
    assert [case.id for case in example_cases(catalog)] == ["resize: Small", "resize: Default"]
    assert example_cases(catalog, owner="team-b") == []
