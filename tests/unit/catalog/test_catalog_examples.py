"""Every example shipped in examples/catalog validates against its entry's schema."""

from __future__ import annotations

import pytest

from foyer.catalog import Catalog, Example, validate_inputs

from .builders import DEMO

CATALOG = Catalog.load(DEMO)
EXAMPLES = [(entry.id, example) for entry in CATALOG.entries for example in entry.examples]


def test_demo_catalog_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(
    ("entry_id", "example"), EXAMPLES, ids=[f"{i}:{e.name}" for i, e in EXAMPLES]
)
def test_example_validates(entry_id: str, example: Example) -> None:
    entry = CATALOG.get(entry_id)
    assert validate_inputs(entry, example.inputs) == []
    entry.target(example.environment)
