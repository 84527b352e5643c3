"""A workflow's input fields, read from its JSON Schema: options, values and validation.

The catalog entry's schema, as the gateway serves it, is the only source: each
top-level property becomes a command-line option and a form field, and the
inputs are checked against the same schema with the same messages as the
gateway before anything is sent.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from foyer.cli.http import UsageProblem
from foyer.snippets.fields import Field

_INTEGER = re.compile(r"[-+]?\d+")


def parse_value(field: Field, raw: str | Sequence[str]) -> Any:
    """Turn what was typed into the JSON value to send.

    A value that does not parse as the field's type is kept as typed, so that
    validation reports it with the gateway's message (``must be an integer``).

    Raises:
        UsageProblem: If an object or array field's value is not JSON.
    """
    if field.kind == "array":
        items = [raw] if isinstance(raw, str) else list(raw)
        return [_scalar(field, field.item_kind or "json", item) for item in items]
    if not isinstance(raw, str):
        raw = raw[-1]
    return _scalar(field, field.kind, raw)


def _scalar(field: Field, kind: str, raw: str) -> Any:
    text = raw.strip()
    if kind == "integer":
        return int(text) if _INTEGER.fullmatch(text) else raw
    if kind == "number":
        if _INTEGER.fullmatch(text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return raw
        return number if math.isfinite(number) else raw
    if kind == "boolean":
        lowered = text.lower()
        return {"true": True, "false": False}.get(lowered, raw)
    if kind in ("object", "array"):
        try:
            return json.loads(raw)
        except ValueError as err:
            raise UsageProblem(
                [(f"inputs.{field.name}", f"must be {kind} as JSON ({err})")]
            ) from None
    if kind == "json":
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def example_named(examples: Iterable[dict[str, Any]], name: str) -> dict[str, Any]:
    """The example called ``name`` (case-insensitive).

    Raises:
        UsageProblem: If there is none, listing the examples there are.
    """
    listed = list(examples)
    for example in listed:
        if str(example.get("name", "")).casefold() == name.casefold():
            return example
    names = ", ".join(f"`{e.get('name')}`" for e in listed) or "none"
    raise UsageProblem([("example", f"Example `{name}` does not exist; the examples are: {names}")])


def problems(entry_id: str, schema: dict[str, Any], inputs: Any) -> list[tuple[str, str]]:
    """Check ``inputs`` against ``schema`` the way the gateway does, with its messages.

    Returns:
        ``(field, message)`` pairs, ``field`` being ``inputs.<dotted path>``
        (``inputs`` for the whole object); empty when the inputs are valid.
    """
    from foyer.catalog._messages import Path, describe, did_you_mean

    if not isinstance(inputs, dict):
        return [("inputs", "inputs must be an object")]

    def unknown(parent: Path, key: str, known: Sequence[str]) -> str:
        owner = entry_id if not parent else _dotted(parent)
        return f"is not a field of `{owner}`" + did_you_mean(key, known)

    try:
        found = describe(_validator(schema).iter_errors(inputs), unknown)
    except Exception as err:  # a schema the gateway can read but jsonschema here cannot
        return [("inputs", f"inputs could not be validated: {err}")]
    return [("inputs." + _dotted(path) if path else "inputs", message) for path, message in found]


def _validator(schema: dict[str, Any]) -> Any:
    # The catalog's validator: ECMA-262 patterns, as in the gateway and the team's handler.
    from foyer.catalog._ecma import FORMATS, EcmaValidator

    return EcmaValidator(schema, format_checker=FORMATS)


def _dotted(path: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in path)
