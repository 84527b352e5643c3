"""Validating a run's inputs against an entry's schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from jsonschema import Draft202012Validator

from foyer.catalog._ecma import FORMATS, EcmaValidator
from foyer.catalog._messages import Path, describe, did_you_mean
from foyer.catalog.errors import FieldError
from foyer.catalog.models import Entry


def validate_inputs(entry: Entry, inputs: Any) -> list[FieldError]:
    """Check ``inputs`` against ``entry.schema``.

    Patterns follow JSON Schema's ECMA-262 semantics (``$`` matches only at the
    very end, ``\\d`` is ASCII), the same in the gateway, the team's handler and
    the portal's form. Never raises: whatever JSON value ``inputs`` is, the answer is a list.

    Args:
        entry: The catalog entry whose schema applies.
        inputs: The inputs as decoded from JSON.

    Returns:
        One error per problem, ``field`` being the dotted path inside ``inputs``
        (``""`` for the inputs as a whole); an empty list when the inputs are valid.
    """
    return [FieldError(_dotted(path), message) for path, message in input_problems(entry, inputs)]


def input_problems(entry: Entry, inputs: Any) -> list[tuple[Path, str]]:
    """Like :func:`validate_inputs`, with each field as a path of keys and indexes."""
    if not isinstance(inputs, dict):
        return [((), "inputs must be an object")]
    validator = _validator(entry)

    def unknown(parent: Path, key: str, known: Sequence[str]) -> str:
        owner = entry.id if not parent else _dotted(parent)
        return f"is not a field of `{owner}`" + did_you_mean(key, known)

    try:
        return describe(validator.iter_errors(inputs), unknown)
    except Exception as err:  # the gateway relies on a list, whatever the client sent
        return [((), f"inputs could not be validated: {err}")]


# Compiled once per entry: validation sits on the gateway's hot path.
_VALIDATORS: WeakKeyDictionary[Entry, Draft202012Validator] = WeakKeyDictionary()


def _validator(entry: Entry) -> Draft202012Validator:
    validator = _VALIDATORS.get(entry)
    if validator is None:
        validator = EcmaValidator(entry.schema, format_checker=FORMATS)
        _VALIDATORS[entry] = validator
    return validator


def _dotted(path: Path) -> str:
    return ".".join(str(part) for part in path)
