"""A schema's top-level input fields, and how each is spelt on a command line.

One reading of an entry's JSON Schema shared by the ``foyer run`` options, the
terminal app's form and the generated ``foyer run …`` snippets, so the three
always agree. Standard library only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

KINDS = ("string", "integer", "number", "boolean", "array", "object")

RESERVED = frozenset(
    {"environment", "example", "inputs-file", "idempotency-key", "yes", "wait"}
    | {"output", "profile", "help"}
)
"""Options of ``foyer run`` itself; a field with one of these names is ``--input-<name>``."""


@dataclass(frozen=True)
class Field:
    """One top-level input field.

    Attributes:
        name: The property name, as sent in ``inputs``.
        kind: One of :data:`KINDS`, or ``json`` when the schema does not say.
        item_kind: For arrays, the kind of each item.
        choices: Allowed values (``enum``), in the schema's order.
    """

    name: str
    kind: str
    required: bool = False
    has_default: bool = False
    default: Any = None
    choices: tuple[Any, ...] = ()
    item_kind: str | None = None
    title: str = ""
    description: str = ""
    options_source: str | None = None
    options_params: dict[str, str] = field(default_factory=dict, compare=False)
    schema: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def flag(self) -> str:
        """The option spelling shown in help and snippets: ``--table-name``."""
        kebab = _kebab(self.name)
        return f"--input-{kebab}" if kebab in RESERVED else f"--{kebab}"

    @property
    def spellings(self) -> list[str]:
        """Every accepted spelling: kebab-case first, then snake_case when it differs."""
        snake = "--" + ("input_" if _kebab(self.name) in RESERVED else "") + _safe(self.name)
        return [self.flag] if snake == self.flag else [self.flag, snake]

    @property
    def type_label(self) -> str:
        """``string``, ``integer``, ``array of string``…"""
        if self.kind == "array":
            return f"array of {self.item_kind or 'json'}"
        return self.kind


def fields_of(schema: dict[str, Any], order: Sequence[str] | None = None) -> list[Field]:
    """The top-level fields of ``schema``, in ``ui:order`` when given, else schema order."""
    properties: dict[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    names = list(properties)
    if order:
        ranked = [n for n in order if n in properties]
        names = ranked + [n for n in names if n not in ranked]
    return [_field(name, resolve(schema, properties[name]), name in required) for name in names]


def resolve(root: dict[str, Any], node: Any) -> dict[str, Any]:
    """``node`` with local ``$ref``s followed; keywords beside a ``$ref`` win over the target."""
    seen: set[str] = set()
    result: dict[str, Any] = dict(node) if isinstance(node, dict) else {}
    while isinstance(result.get("$ref"), str) and result["$ref"].startswith("#"):
        ref = result.pop("$ref")
        if ref in seen:
            break
        seen.add(ref)
        target = _pointer(root, ref[1:])
        result = {**(target if isinstance(target, dict) else {}), **result}
    return result


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for raw in [p for p in pointer.split("/") if p]:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _field(name: str, schema: dict[str, Any], required: bool) -> Field:
    choices = tuple(schema["enum"]) if isinstance(schema.get("enum"), list) else ()
    if "const" in schema and not choices:
        choices = (schema["const"],)
    kind = _kind(schema, choices)
    item_kind = None
    if kind == "array":
        items = schema.get("items")
        item_kind = _kind(items, ()) if isinstance(items, dict) else "json"
    return Field(
        name=name,
        kind=kind,
        required=required,
        has_default="default" in schema,
        default=schema.get("default"),
        choices=choices,
        item_kind=item_kind,
        title=str(schema.get("title", "")),
        description=str(schema.get("description", "")),
        options_source=_options_source(schema),
        options_params=_options_params(schema),
        schema=schema,
    )


OPTIONS_KEYWORD = "x-foyer-options"
"""A field's option source: ``{source: <name>, params: {<param>: <field>}}``."""


def _options_source(schema: dict[str, Any]) -> str | None:
    value = schema.get(OPTIONS_KEYWORD)
    if isinstance(value, dict) and isinstance(value.get("source"), str):
        return str(value["source"])
    return None


def _options_params(schema: dict[str, Any]) -> dict[str, str]:
    value = schema.get(OPTIONS_KEYWORD)
    params = value.get("params") if isinstance(value, dict) else None
    if not isinstance(params, dict):
        return {}
    return {str(k): str(v) for k, v in params.items()}


def _kind(schema: dict[str, Any], choices: tuple[Any, ...]) -> str:
    declared = schema.get("type")
    kinds = [declared] if isinstance(declared, str) else list(declared or [])
    kinds = [k for k in kinds if k != "null"]
    if kinds:
        return kinds[0] if kinds[0] in KINDS else "json"
    if choices:
        sample = next((c for c in choices if c is not None), "")
        return _json_kind(sample)
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "json"


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _kebab(name: str) -> str:
    return _safe(name).replace("_", "-")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "field"


def shown(value: Any) -> str:
    """A value as a person would type it: strings bare, everything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def explain(field: Field) -> str:
    """The field in a sentence or two: description, allowed values, default."""
    text = (field.description or field.title).strip()
    if text and text[-1] not in ".!?":
        text += "."
    if field.choices:
        text += " One of: " + ", ".join(shown(c) for c in field.choices) + "."
    if field.has_default:
        text += f" Default: {shown(field.default)}."
    return text.strip()
