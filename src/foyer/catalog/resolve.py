"""Shared definitions (``defs/*.yaml``) and inlining them into entry schemas."""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft202012Validator

from foyer.catalog._documents import SUFFIXES, pointer, read_document, unescape
from foyer.catalog._ecma import FORMATS, EcmaValidator, unsupported_keywords
from foyer.catalog._messages import describe, did_you_mean
from foyer.catalog.errors import CatalogError

DEFS_DIR = "defs"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_DEFS_FILE_KEYS = {"$defs", "$schema", "$comment", "title", "description"}
# The `regex` format makes an invalid ECMA-262 pattern a schema error.
_SCHEMA_CHECKER = EcmaValidator(Draft202012Validator.META_SCHEMA, format_checker=FORMATS)


@dataclass
class SharedDefs:
    """The catalog's shared definition files, keyed by root-relative path (``defs/aws.yaml``)."""

    root: Path
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


def schema_errors(schema: Any, path: Path, at: str) -> list[CatalogError]:
    """Why ``schema`` is not a valid JSON Schema 2020-12 document, reported under ``at``.

    Every ``pattern`` and ``patternProperties`` key must be a valid ECMA-262 regex.
    """
    problems = describe(
        _SCHEMA_CHECKER.iter_errors(schema),
        lambda _, key, known: "is not a known keyword" + did_you_mean(key, known),
    )
    problems += unsupported_keywords(schema)
    return [CatalogError(path, at + pointer(where), message) for where, message in problems]


def load_shared_defs(root: Path) -> tuple[SharedDefs, list[CatalogError]]:
    """Read every file under ``<root>/defs`` and check it, including its references."""
    defs = SharedDefs(root)
    errors: list[CatalogError] = []
    directory = root / DEFS_DIR
    files = sorted(p for p in directory.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    for path in files:
        try:
            document = read_document(path)
        except CatalogError as err:
            errors.append(err)
            continue
        if not isinstance(document, dict) or not isinstance(document.get("$defs"), dict):
            errors.append(CatalogError(path, "", "must be a mapping with a `$defs` mapping"))
            continue
        unknown = [key for key in document if key not in _DEFS_FILE_KEYS]
        errors += [
            CatalogError(path, pointer((key,)), "is not allowed in a definitions file")
            for key in unknown
        ]
        errors += schema_errors(document, path, "")
        defs.documents[path.relative_to(root).as_posix()] = document
    for key, document in defs.documents.items():
        for at, ref in _refs(document, ()):
            problem = _find(defs, key, ref)[1]
            if problem is not None:
                errors.append(CatalogError(root / key, pointer(at), problem))
    return defs, errors


def resolve_schema(
    schema: dict[str, Any], defs: SharedDefs, path: Path, at: str
) -> tuple[dict[str, Any], list[CatalogError]]:
    """Inline the shared definitions ``schema`` refers to.

    Returns the resolved copy (every ``$ref`` local, ``$schema`` set to 2020-12)
    and the references that could not be resolved.
    """
    resolved = copy.deepcopy(schema)
    own = resolved.get("$defs")
    local: dict[str, Any] = dict(own) if isinstance(own, dict) else {}
    inlined: dict[tuple[str, str], str] = {}
    errors: list[CatalogError] = []

    def inline(key: str, fragment: str, target: Any) -> str:
        if (key, fragment) in inlined:
            return inlined[(key, fragment)]
        name = _free_name(local, key, fragment)
        inlined[(key, fragment)] = name
        local[name] = body = copy.deepcopy(target)
        rewrite(body, key)
        return name

    def rewrite(node: Any, base: str | None) -> None:
        for where, ref in list(_refs(node, ())):
            holder = _at(node, where[:-1])
            if base is None and ref.startswith("#"):
                if _follow(schema, ref[1:]) is _MISSING:
                    errors.append(
                        CatalogError(path, at + pointer(where), f"cannot resolve `$ref` `{ref}`")
                    )
                continue
            (key, fragment), problem = _find(defs, base, ref)
            if problem is not None:
                # Problems inside a definitions file are reported against that file.
                if base is None:
                    errors.append(CatalogError(path, at + pointer(where), problem))
                continue
            target = _follow(defs.documents[key], fragment)
            holder["$ref"] = "#/$defs/" + inline(key, fragment, target)

    rewrite(resolved, None)
    resolved["$schema"] = DRAFT_2020_12
    if local:
        resolved["$defs"] = local
    return resolved, errors


_MISSING = object()


def _find(defs: SharedDefs, base: str | None, ref: str) -> tuple[tuple[str, str], str | None]:
    """Locate ``ref`` (relative to file ``base``, or the catalog root when ``None``)."""
    where, _, fragment = ref.partition("#")
    fragment = unquote(fragment)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", where):
        return ("", fragment), (
            f"cannot resolve `$ref` `{ref}`: only files under `{DEFS_DIR}/` may be referenced"
        )
    if not where:
        key = base or ""
    else:
        key = posixpath.normpath(posixpath.join(posixpath.dirname(base or ""), where))
    document = defs.documents.get(key)
    if document is None:
        known = ", ".join(sorted(defs.documents)) or "none"
        return (key, fragment), (
            f"cannot resolve `$ref` `{ref}`: no definitions file `{key}` (known: {known})"
        )
    if _follow(document, fragment) is _MISSING:
        names = document.get("$defs", {})
        hint = did_you_mean(fragment.rsplit("/", 1)[-1], names) if isinstance(names, dict) else ""
        return (key, fragment), f"cannot resolve `$ref` `{ref}`: `{key}` has no `#{fragment}`{hint}"
    return (key, fragment), None


def _follow(document: Any, fragment: str) -> Any:
    if fragment in ("", "/"):
        return document if fragment == "" else _MISSING
    if not fragment.startswith("/"):
        return _MISSING
    node = document
    for token in fragment[1:].split("/"):
        token = unescape(token)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def _refs(node: Any, at: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string ``$ref`` under ``node``, with the path of the ``$ref`` key itself."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield (*at, key), value
            else:
                yield from _refs(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, (*at, index))


def _at(node: Any, at: tuple[str | int, ...]) -> Any:
    for part in at:
        node = node[part]
    return node


def _free_name(taken: dict[str, Any], key: str, fragment: str) -> str:
    stem = posixpath.splitext(posixpath.basename(key))[0]
    last = unescape(fragment.rsplit("/", 1)[-1]) if fragment else stem
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", last) or stem
    candidates = [base, f"{stem}.{base}"] + [f"{stem}.{base}.{n}" for n in range(2, 1000)]
    return next(name for name in candidates if name not in taken)
