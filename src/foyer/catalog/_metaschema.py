"""The versioned meta-schemas catalog entries are checked against."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from foyer.catalog._documents import pointer, unescape
from foyer.catalog._ecma import FORMATS, EcmaValidator
from foyer.catalog._messages import describe, did_you_mean
from foyer.catalog.errors import CatalogError

SUPPORTED_VERSIONS = {"foyer/v1": "v1.json"}
WORKFLOW = "Workflow"
OPTION_SOURCE = "OptionSource"
_KIND_FILES = {(OPTION_SOURCE, "foyer/v1"): "option-source-v1.json"}


def kind_of(document: Any) -> str:
    """The document's ``kind``: ``OptionSource`` files are sources, anything else an entry."""
    if isinstance(document, dict) and document.get("kind") == OPTION_SOURCE:
        return OPTION_SOURCE
    return WORKFLOW


@cache
def _validator(api_version: str, kind: str = WORKFLOW) -> Draft202012Validator:
    name = _KIND_FILES.get((kind, api_version), SUPPORTED_VERSIONS[api_version])
    text = resources.files("foyer.catalog").joinpath("metaschema", name)
    return EcmaValidator(json.loads(text.read_text()), format_checker=FORMATS)


def check_document(document: Any, path: Path) -> list[CatalogError]:
    """Check a parsed catalog file against the meta-schema of its ``apiVersion`` and ``kind``."""
    supported = ", ".join(SUPPORTED_VERSIONS)
    if not isinstance(document, dict):
        return [CatalogError(path, "", "must be a mapping describing one workflow")]
    version = document.get("apiVersion")
    if version is None:
        return [CatalogError(path, "/apiVersion", f"is required; supported versions: {supported}")]
    if version not in SUPPORTED_VERSIONS:
        return [
            CatalogError(
                path,
                "/apiVersion",
                f"unsupported apiVersion `{version}`; supported versions: {supported}",
            )
        ]

    def unknown(parent: tuple[str | int, ...], key: str, known: Sequence[str]) -> str:
        return "is not a known key" + did_you_mean(key, known)

    found = describe(_validator(version, kind_of(document)).iter_errors(document), unknown)
    return [CatalogError(path, pointer(where), message) for where, message in found]


def salvage(document: Any, problems: Sequence[CatalogError]) -> dict[str, Any] | None:
    """The document without the top-level keys ``problems`` point into, if still buildable.

    Dropping an optional or unknown key lets the remaining checks (examples, refs,
    durations) run too, so a publisher sees every problem in one pass.
    """
    if not isinstance(document, dict) or document.get("apiVersion") not in SUPPORTED_VERSIONS:
        return None
    bad = {unescape(problem.pointer.split("/")[1]) for problem in problems if problem.pointer}
    required = set(_validator(document["apiVersion"], kind_of(document)).schema["required"])
    if any(problem.pointer == "" for problem in problems) or bad & required:
        return None
    return {key: value for key, value in document.items() if key not in bad}
