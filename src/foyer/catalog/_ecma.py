"""JSON Schema validation with JSON Schema's own regular expressions (ECMA-262).

Python's ``re`` is not the regex dialect JSON Schema specifies, and the
differences let bad input through: ``$`` also matches before a trailing newline
(``"orders\\n"`` passes ``^[a-z]+$``), and ``\\Z`` or ``(?P<name>…)`` exist only
in Python. The portal's form, the gateway and the team's handler must agree on
every input, so every pattern the catalog evaluates — ``pattern``,
``patternProperties``, the ``regex`` format — goes through regress, an ECMA-262
engine, in Unicode mode (the ``u`` flag), as JSON Schema recommends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from regress import Regex, RegressError

NOT_UNICODE = "is not valid Unicode text"


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Regex:
    """``pattern`` compiled as an ECMA-262 regex in Unicode mode.

    Raises:
        RegressError: If ``pattern`` is not a valid ECMA-262 regex.
    """
    return Regex(pattern, "u")


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches anywhere in ``text``, as JSON Schema's ``pattern`` means.

    Text that is not valid Unicode (a lone surrogate) matches nothing.
    """
    try:
        return compile_pattern(pattern).find(text) is not None
    except UnicodeEncodeError:
        return False


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _pattern(validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Iterator:
    if not validator.is_type(instance, "string"):
        return
    if not _is_unicode(instance):
        yield ValidationError(NOT_UNICODE, validator="unicode")
    elif not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def additional_keys(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """The keys of ``instance`` neither ``properties`` nor ``patternProperties`` cover."""
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in known and not any(search(pattern, key) for pattern in patterns)
    ]


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator:
    if not validator.is_type(instance, "object"):
        return
    extras = additional_keys(instance, schema)
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        yield ValidationError(f"Additional properties are not allowed ({', '.join(extras)})")


EcmaValidator: type[Draft202012Validator] = validators.extend(
    Draft202012Validator,
    {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
    },
)
"""JSON Schema 2020-12 with ECMA-262 regexes in ``pattern`` and ``patternProperties``.

``unevaluatedProperties`` still evaluates ``patternProperties`` with Python's
``re``; :func:`unsupported_keywords` refuses schemas that combine the two.
"""


def formats() -> FormatChecker:
    """jsonschema's format checks, with ``regex`` meaning a valid ECMA-262 regex."""
    checker = FormatChecker()

    @checker.checks("regex", raises=(RegressError, UnicodeEncodeError))
    def is_regex(instance: object) -> bool:
        if isinstance(instance, str):
            compile_pattern(instance)
        return True

    return checker


FORMATS = formats()


def unsupported_keywords(schema: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where ``schema`` combines ``unevaluatedProperties`` with ``patternProperties``.

    jsonschema decides which keys ``unevaluatedProperties`` sees with Python's
    ``re``; rather than evaluate some patterns with another dialect, the
    catalog refuses the combination.
    """
    found: dict[str, list[tuple[str | int, ...]]] = {
        "unevaluatedProperties": [],
        "patternProperties": [],
    }

    def walk(node: Any, at: tuple[str | int, ...]) -> None:
        if isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*at, index))
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key in found:
                found[key].append((*at, key))
            if key in _DATA:
                continue
            if key in _NAMED_SCHEMAS and isinstance(value, dict):
                for name, subschema in value.items():
                    walk(subschema, (*at, key, name))
            else:
                walk(value, (*at, key))

    walk(schema, ())
    if not found["patternProperties"]:
        return []
    return [
        (at, "cannot be combined with `patternProperties`; use `additionalProperties`")
        for at in found["unevaluatedProperties"]
    ]


# Keywords whose values are maps from names to schemas, and keywords whose values are data.
_NAMED_SCHEMAS = {"properties", "patternProperties", "$defs", "dependentSchemas"}
_DATA = {"enum", "const", "default", "examples", "required", "dependentRequired"}
