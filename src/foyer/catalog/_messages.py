"""Plain-language messages for JSON Schema validation errors."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from foyer.catalog._ecma import additional_keys

Path = tuple[str | int, ...]
UnknownField = Callable[[Path, str, Sequence[str]], str]
"""Builds the message for an unknown key: (parent path, key, known keys) -> message."""

_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `x`?"`` for the closest candidate, or ``""`` if none is close.

    Close means similarly spelt, or the only candidate ``name`` abbreviates
    (``env`` for ``environment``).
    """
    candidates = list(candidates)
    close = difflib.get_close_matches(name, candidates, n=1)
    if not close and len(name) >= 2:
        close = [c for c in candidates if c.lower().startswith(name.lower()) and c != name]
    return f"; did you mean `{close[0]}`?" if len(close) == 1 else ""


def describe(errors: Iterable[ValidationError], unknown: UnknownField) -> list[tuple[Path, str]]:
    """Turn validation errors into ``(path, message)`` pairs, sorted by path, without repeats."""
    seen: dict[tuple[Path, str], None] = {}
    for error in errors:
        for item in _describe(error, unknown):
            seen.setdefault(item, None)
    # jsonschema's error order is not stable across runs for every schema; paths are.
    return sorted(seen, key=lambda item: [_sort_key(part) for part in item[0]])


def _sort_key(part: str | int) -> tuple[int, int, str]:
    return (0, part, "") if isinstance(part, int) else (1, 0, part)


def _describe(error: ValidationError, unknown: UnknownField) -> list[tuple[Path, str]]:
    path: Path = tuple(error.absolute_path)
    keyword = error.validator
    value: Any = error.validator_value
    instance = error.instance

    if keyword == "required" and isinstance(instance, dict):
        return [((*path, name), "is required") for name in value if name not in instance]
    if keyword == "dependentRequired" and isinstance(instance, dict):
        return [
            ((*path, name), f"is required when `{trigger}` is set")
            for trigger, names in value.items()
            if trigger in instance
            for name in names
            if name not in instance
        ]
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = list(error.schema.get("properties", {}))
        extra = additional_keys(instance, error.schema)
        return [((*path, key), unknown(path, key, known)) for key in extra]
    if keyword in ("anyOf", "oneOf") and error.context:
        return _describe(best_match(error.context), unknown)
    message = _message(keyword, value, error)
    # propertyNames checks each key as an instance of its own, reported at the parent.
    if "propertyNames" in error.absolute_schema_path and isinstance(instance, str):
        message = f"key `{instance}` {message}"
    return [(path, message)]


def _message(keyword: Any, value: Any, error: ValidationError) -> str:
    match keyword:
        case "type":
            kinds = [value] if isinstance(value, str) else list(value)
            return "must be " + " or ".join(_TYPES.get(kind, kind) for kind in kinds)
        case "enum":
            return "must be one of: " + ", ".join(_show(item) for item in value)
        case "const":
            return f"must be {_show(value)}"
        case "pattern":
            return f"must match pattern {value}"
        case "format" if value == "regex" and error.cause is not None:
            return f"must be a valid ECMA-262 regular expression: {error.cause}"
        case "format":
            return f"must be a valid {value}"
        case "minLength":
            return f"must be at least {_count(value, 'character')}"
        case "maxLength":
            return f"must be at most {_count(value, 'character')}"
        case "minimum":
            return f"must be at least {_show(value)}"
        case "maximum":
            return f"must be at most {_show(value)}"
        case "exclusiveMinimum":
            return f"must be greater than {_show(value)}"
        case "exclusiveMaximum":
            return f"must be less than {_show(value)}"
        case "multipleOf":
            return f"must be a multiple of {_show(value)}"
        case "minItems":
            return f"must have at least {_count(value, 'item')}"
        case "maxItems":
            return f"must have at most {_count(value, 'item')}"
        case "uniqueItems":
            return "must not contain duplicate items"
        case "minProperties":
            return f"must have at least {_count(value, 'field')}"
        case "maxProperties":
            return f"must have at most {_count(value, 'field')}"
        case "unevaluatedProperties":
            return "has fields that are not allowed"
        case "anyOf" | "oneOf":
            return "does not match any of the allowed forms"
        case "not" | None:
            return "is not allowed"
        case _:
            return str(error.message)


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
