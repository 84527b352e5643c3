"""Option sources: named lists of values a form field offers, published by the owning team.

A source file (``kind: OptionSource``) says where the team keeps the list: an
inventory workflow in its namespace that the gateway may query, never write to.
An entry's field refers to a source with ``x-foyer-options`` in its schema.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foyer.catalog._documents import pointer
from foyer.catalog._messages import did_you_mean
from foyer.catalog.durations import parse_duration
from foyer.catalog.errors import CatalogError

OPTIONS_KEYWORD = "x-foyer-options"
"""Schema keyword on a field: ``{source: <name>, params: {<param>: <field>}}``."""

RESERVED_PARAMS = frozenset({"q", "limit", "environment"})
"""Query parameters of ``GET /api/options/{source}`` that a source param may not be called."""


@dataclass(frozen=True)
class SourceParam:
    """A value the options depend on, e.g. the region a list of tables is in."""

    name: str
    title: str = ""


@dataclass(frozen=True)
class SourceOverride:
    """Per-environment values that replace the source's defaults when set."""

    namespace: str | None = None
    task_queue: str | None = None
    workflow_id: str | None = None


@dataclass(frozen=True)
class SourceTarget:
    """Where a source's inventory workflow runs in one environment."""

    namespace: str
    task_queue: str
    workflow_id: str


@dataclass(frozen=True, eq=False)
class OptionSource:
    """One option source, as loaded from its catalog file.

    Attributes:
        refresh_seconds: How often the team's inventory workflow reads the
            world again; part of the staleness bound of every answer.
    """

    name: str
    title: str
    description: str
    owners: list[str]
    namespace: str
    task_queue: str
    workflow_id: str
    refresh_seconds: int
    params: list[SourceParam]
    environments: dict[str, SourceOverride]
    source: Path

    @property
    def param_names(self) -> list[str]:
        return [param.name for param in self.params]

    def target(self, environment: str | None = None) -> SourceTarget:
        """Where the inventory lives for ``environment`` (the defaults when it has no override)."""
        override = self.environments.get(environment or "") or SourceOverride()
        return SourceTarget(
            namespace=override.namespace or self.namespace,
            task_queue=override.task_queue or self.task_queue,
            workflow_id=override.workflow_id or self.workflow_id,
        )

    def targets(self) -> list[SourceTarget]:
        """Every distinct place the inventory runs, defaults first."""
        found: dict[tuple[str, str], SourceTarget] = {}
        for environment in [None, *sorted(self.environments)]:
            target = self.target(environment)
            found.setdefault((target.namespace, target.workflow_id), target)
        return list(found.values())


@dataclass(frozen=True)
class OptionField:
    """A field of an entry whose values come from an option source.

    Attributes:
        field: The entry's field (a top-level property of its schema).
        source: Name of the option source.
        params: Source param name → the entry field whose value it takes.
    """

    field: str
    source: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)

    def param_values(self, inputs: dict[str, Any]) -> dict[str, str]:
        """The source params as set by ``inputs``; a param whose field is empty is left out."""
        return {
            param: str(inputs[name])
            for param, name in self.params.items()
            if inputs.get(name) not in (None, "")
        }


def build_source(
    document: dict[str, Any], path: Path
) -> tuple[OptionSource | None, list[CatalogError]]:
    """Build a source from a document that passed its meta-schema."""
    errors: list[CatalogError] = []
    try:
        refresh = parse_duration(document["refresh"])
    except ValueError as err:
        errors.append(CatalogError(path, "/refresh", str(err)))
        refresh = 0
    params: list[SourceParam] = []
    seen: set[str] = set()
    for index, raw in enumerate(document.get("params", [])):
        name = raw["name"]
        if name in RESERVED_PARAMS:
            reserved = ", ".join(sorted(RESERVED_PARAMS))
            errors.append(
                CatalogError(
                    path,
                    pointer(("params", index, "name")),
                    f"`{name}` is reserved for the search itself ({reserved}); choose another name",
                )
            )
        if name in seen:
            errors.append(
                CatalogError(
                    path, pointer(("params", index, "name")), f"`{name}` is declared twice"
                )
            )
        seen.add(name)
        params.append(SourceParam(name=name, title=raw.get("title", "")))
    source = OptionSource(
        name=document["name"],
        title=document["title"],
        description=document.get("description", ""),
        owners=document.get("owners", []),
        namespace=document["namespace"],
        task_queue=document["task_queue"],
        workflow_id=document["workflow_id"],
        refresh_seconds=refresh,
        params=params,
        environments={
            name: SourceOverride(**(override or {}))
            for name, override in document.get("environments", {}).items()
        },
        source=path,
    )
    return (None if errors else source), errors


def field_options(
    schema: dict[str, Any], raw_schema: dict[str, Any], path: Path
) -> tuple[dict[str, OptionField], list[CatalogError]]:
    """The option fields of a resolved entry schema, and what is wrong with their declarations.

    A field declares ``x-foyer-options`` itself or in the local definition it
    refers to (a shared definition such as ``defs/aws.yaml#/$defs/rds_instance``).
    Problems are reported at the field, under ``/schema/properties``.
    """
    fields: dict[str, OptionField] = {}
    errors: list[CatalogError] = []
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        declared = _declaration(schema, prop)
        if declared is None:
            continue
        spec, field_schema = declared
        raw_prop = raw_schema.get("properties", {}).get(name)
        at: tuple[str, ...] = ("schema", "properties", name)
        if isinstance(raw_prop, dict) and OPTIONS_KEYWORD in raw_prop:
            at = (*at, OPTIONS_KEYWORD)

        def fail(where: tuple[str | int, ...], message: str, at: tuple[str, ...] = at) -> None:
            errors.append(CatalogError(path, pointer((*at, *where)), message))

        if not isinstance(spec, dict) or not isinstance(spec.get("source"), str):
            fail(
                (), "must be a mapping with `source` (an option source name) and optional `params`"
            )
            continue
        unknown = [key for key in spec if key not in ("source", "params")]
        for key in unknown:
            fail((key,), "is not a known key" + did_you_mean(key, ["source", "params"]))
        params = spec.get("params", {})
        if not isinstance(params, dict) or not all(
            isinstance(value, str) for value in params.values()
        ):
            fail(("params",), "must map each source param to the name of a field of this entry")
            continue
        if field_schema.get("type") != "string":
            fail((), "an option field must have `type: string`")
        if not unknown:
            fields[name] = OptionField(field=name, source=spec["source"], params=dict(params))
    return fields, errors


def _declaration(schema: dict[str, Any], prop: Any) -> tuple[Any, dict[str, Any]] | None:
    """``(x-foyer-options value, the schema that holds it)`` for one property, if declared."""
    if not isinstance(prop, dict):
        return None
    if OPTIONS_KEYWORD in prop:
        merged = dict(prop)
        target = _local_target(schema, prop)
        if target is not None:
            merged = {**target, **prop}
        return prop[OPTIONS_KEYWORD], merged
    target = _local_target(schema, prop)
    if target is not None and OPTIONS_KEYWORD in target:
        return target[OPTIONS_KEYWORD], {**target, **prop}
    return None


def _local_target(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any] | None:
    ref = prop.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return None
    target = schema.get("$defs", {}).get(ref[len("#/$defs/") :])
    return target if isinstance(target, dict) else None
