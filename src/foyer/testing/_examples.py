"""Does a team's input model agree with its catalog entry?

The gateway and the team's handler validate inputs against the entry's JSON
Schema; the workflow then reads them with its own pydantic model
(``WorkflowRequest.inputs_as``). If the two disagree, valid requests fail at
run time. These checks find the disagreement in a unit test instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from foyer.catalog import Catalog, Entry, Example

_NO_DEFAULT = object()


@dataclass(frozen=True)
class ExampleCase:
    """One example of one entry, for ``pytest.mark.parametrize``."""

    entry: Entry
    example: Example

    @property
    def id(self) -> str:
        return f"{self.entry.id}: {self.example.name}"


def example_cases(catalog: Catalog, owner: str | None = None) -> list[ExampleCase]:
    """Every example of every entry (of ``owner``, if given), in catalog order."""
    return [
        ExampleCase(entry, example)
        for entry in catalog.entries
        if owner is None or owner in entry.owners
        for example in entry.examples
    ]


def _property(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """A property's schema with a local ``$ref`` followed; its own keywords win."""
    node = dict(schema.get("properties", {}).get(name, {}))
    ref = node.pop("$ref", None)
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = schema.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
        node = {**target, **node}
    return node


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """Input name → pydantic field, by alias where one is set."""
    return {(field.alias or name): field for name, field in model.model_fields.items()}


def model_problems(entry: Entry, model: type[BaseModel]) -> list[str]:
    """Every way ``model`` disagrees with ``entry``'s schema and examples, in plain words.

    - an example the model refuses;
    - a schema field the model does not have (its value would be dropped);
    - a field the model requires but the schema lets a request leave out,
      or does not have at all;
    - a default that differs between the schema and the model (the gateway
      does not fill in schema defaults, so the model's default is what runs).
    """
    problems: list[str] = []
    schema = entry.schema
    fields = _fields(model)
    required = set(schema.get("required", []))
    for name in schema.get("properties", {}):
        field = fields.get(name)
        if field is None:
            problems.append(f"`{name}` is in the schema but not in {model.__name__}")
            continue
        declared = _property(schema, name).get("default", _NO_DEFAULT)
        if field.is_required():
            if name not in required:
                problems.append(
                    f"{model.__name__} requires `{name}`, "
                    "but the schema lets a request leave it out"
                )
            continue
        default = field.get_default(call_default_factory=True)
        if declared is not _NO_DEFAULT and default is not PydanticUndefined and declared != default:
            problems.append(
                f"`{name}` defaults to {declared!r} in the schema but to {default!r} "
                f"in {model.__name__}"
            )
    for name, field in fields.items():
        if field.is_required() and name not in schema.get("properties", {}):
            problems.append(f"{model.__name__} requires `{name}`, which the schema does not have")
    for example in entry.examples:
        try:
            model.model_validate(example.inputs)
        except ValidationError as err:
            for error in err.errors():
                where = ".".join(str(part) for part in error["loc"]) or "inputs"
                problems.append(
                    f"example `{example.name}` does not fit {model.__name__}: "
                    f"{where}: {error['msg']}"
                )
    return [f"{entry.id}: {problem}" for problem in problems]


def assert_models_fit(catalog: Catalog, models: Mapping[str, type[BaseModel]]) -> None:
    """Fail with every disagreement between entries and the models that read their inputs.

    Args:
        catalog: The catalog.
        models: Entry id → the pydantic model its workflow reads inputs with.

    Raises:
        AssertionError: Listing each problem, one per line.
    """
    problems = [
        problem
        for entry_id, model in sorted(models.items())
        for problem in model_problems(catalog.get(entry_id), model)
    ]
    if problems:
        raise AssertionError("\n".join(problems))
