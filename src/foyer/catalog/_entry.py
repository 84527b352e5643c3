"""Turning one checked entry document into an Entry, with the checks a schema cannot express."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from foyer.catalog._documents import pointer
from foyer.catalog._messages import did_you_mean
from foyer.catalog.durations import parse_duration
from foyer.catalog.errors import CatalogError
from foyer.catalog.models import Access, Approval, Entry, EnvironmentOverride, Example
from foyer.catalog.resolve import DRAFT_2020_12, SharedDefs, resolve_schema, schema_errors
from foyer.catalog.schedules import build_schedules
from foyer.catalog.sources import field_options
from foyer.catalog.validation import input_problems

DEFAULT_TIMEOUT = "1h"
DEFAULT_APPROVAL_TIMEOUT = "24h"
_APPROVAL_FIELDS = ("required", "min_approvers", "allow_self_approval")


def build_entry(
    document: dict[str, Any], path: Path, defs: SharedDefs
) -> tuple[Entry | None, list[CatalogError]]:
    """Build an entry from a document that passed the meta-schema.

    Returns the entry (``None`` if it could not be built) and every problem found.
    """
    errors: list[CatalogError] = []

    def fail(at: tuple[str | int, ...], message: str) -> None:
        errors.append(CatalogError(path, pointer(at), message))

    def duration(at: tuple[str, ...], text: str) -> int:
        try:
            return parse_duration(text)
        except ValueError as err:
            fail(at, str(err))
            return 0

    access = Access(run=document["access"]["run"], approve=document["access"].get("approve", []))
    raw_approval = document.get("approval", {"required": False})
    approval = Approval(
        required=raw_approval["required"],
        min_approvers=raw_approval.get("min_approvers", 1),
        allow_self_approval=raw_approval.get("allow_self_approval", False),
        timeout_seconds=duration(
            ("approval", "timeout"), raw_approval.get("timeout", DEFAULT_APPROVAL_TIMEOUT)
        ),
    )
    if approval.required and not access.approve:
        fail(("access", "approve"), "must name at least one group when approval is required")

    environments: dict[str, EnvironmentOverride] = {}
    for name, raw in document["environments"].items():
        override = dict(raw or {})
        raw_override = override.pop("approval", None)
        if raw_override is not None:
            at = ("environments", name, "approval")
            fields = {key: raw_override[key] for key in _APPROVAL_FIELDS if key in raw_override}
            if "timeout" in raw_override:
                fields["timeout_seconds"] = duration((*at, "timeout"), raw_override["timeout"])
            override["approval"] = replace(approval, **fields)
            if override["approval"].required and not access.approve:
                fail(at, "requires approval, so `access.approve` must name at least one group")
        environments[name] = EnvironmentOverride(**override)
    allowed = ", ".join(sorted(environments))
    if document["default_environment"] not in environments:
        fail(
            ("default_environment",),
            f"`{document['default_environment']}` is not one of the environments: {allowed}",
        )
    timeout_seconds = duration(("timeout",), document.get("timeout", DEFAULT_TIMEOUT))

    raw_schema = dict(document["schema"])
    # Closed by default, so a misspelt field is an error rather than silently ignored.
    if "additionalProperties" not in raw_schema and "unevaluatedProperties" not in raw_schema:
        raw_schema["additionalProperties"] = False
    if raw_schema.get("$schema", DRAFT_2020_12) != DRAFT_2020_12:
        fail(("schema", "$schema"), f"must be {DRAFT_2020_12} or left out")
        return None, errors
    problems = schema_errors(raw_schema, path, "/schema")
    if problems:
        return None, errors + problems
    schema, problems = resolve_schema(raw_schema, defs, path, "/schema")
    if problems:
        return None, errors + problems

    options, problems = field_options(schema, raw_schema, path)
    errors += problems
    schedules, problems = build_schedules(document.get("schedules", []), path, list(environments))
    errors += problems

    ui_schema = document.get("ui_schema")
    if ui_schema is not None:
        errors += _ui_schema_errors(ui_schema, raw_schema, path)

    examples = [
        Example(
            name=raw["name"],
            inputs=raw["inputs"],
            description=raw.get("description", ""),
            environment=raw.get("environment"),
        )
        for raw in document["examples"]
    ]
    entry = Entry(
        id=document["id"],
        title=document["title"],
        description=document["description"],
        owners=document["owners"],
        tags=document.get("tags", []),
        workflow_type=document["workflow_type"],
        namespace=document["namespace"],
        nexus_endpoint=document["nexus_endpoint"],
        task_queue=document["task_queue"],
        default_environment=document["default_environment"],
        environments=environments,
        access=access,
        approval=approval,
        timeout_seconds=timeout_seconds,
        schema=schema,
        ui_schema=ui_schema,
        guide=document.get("guide", ""),
        examples=examples,
        source=path,
        options=options,
        schedules=schedules,
    )
    for index, example in enumerate(examples):
        if example.environment is not None and example.environment not in environments:
            fail(
                ("examples", index, "environment"),
                f"`{example.environment}` is not one of the environments: {allowed}",
            )
        for field, message in input_problems(entry, example.inputs):
            fail(("examples", index, "inputs", *field), message)
    for index, schedule in enumerate(schedules):
        for field, message in input_problems(entry, schedule.inputs):
            fail(("schedules", index, "inputs", *field), message)
    return (None if errors else entry), errors


def _ui_schema_errors(
    ui_schema: dict[str, Any], schema: dict[str, Any], path: Path
) -> list[CatalogError]:
    """Catch what would break or silently misbehave in the portal's form (rjsf)."""
    properties = list(schema.get("properties", {}))
    errors = [
        CatalogError(
            path,
            pointer(("ui_schema", key)),
            "is not a field of the schema" + did_you_mean(key, properties),
        )
        for key in ui_schema
        if not key.startswith("ui:") and key not in properties
    ]
    order = ui_schema.get("ui:order")
    if order is None:
        return errors
    if not isinstance(order, list) or not all(isinstance(name, str) for name in order):
        return [*errors, CatalogError(path, "/ui_schema/ui:order", "must be a list of field names")]
    for index, name in enumerate(order):
        if name != "*" and name not in properties:
            errors.append(
                CatalogError(
                    path,
                    pointer(("ui_schema", "ui:order", index)),
                    f"`{name}` is not a field of the schema" + did_you_mean(name, properties),
                )
            )
    missing = [name for name in properties if name not in order]
    if missing and "*" not in order:
        errors.append(
            CatalogError(
                path,
                "/ui_schema/ui:order",
                f"must list every field or end with `*`; missing: {', '.join(missing)}",
            )
        )
    return errors
