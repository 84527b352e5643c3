"""Reading catalog files (YAML or JSON) into plain JSON-compatible data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from foyer.catalog.errors import CatalogError

SUFFIXES = (".yaml", ".yml", ".json")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as strings and rejects duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key `{key}`", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# JSON has no dates: a YAML date such as 2024-01-01 must stay the string it looks like.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_document(path: Path) -> Any:
    """Parse one YAML or JSON file.

    Raises:
        CatalogError: If the file cannot be read or parsed; the message gives the line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogError(path, "", f"cannot read file: {err}") from err
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise CatalogError(
                path, "", f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
            ) from err
    try:
        documents = list(yaml.load_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        where = ""
        if err.problem_mark is not None:
            where = f" at line {err.problem_mark.line + 1}, column {err.problem_mark.column + 1}"
        raise CatalogError(path, "", f"invalid YAML{where}: {err.problem}") from err
    except yaml.YAMLError as err:
        raise CatalogError(path, "", f"invalid YAML: {err}") from err
    if len(documents) != 1:
        raise CatalogError(path, "", f"must hold exactly one document, found {len(documents)}")
    return documents[0]


def pointer(path: tuple[str | int, ...]) -> str:
    """The JSON pointer for a path of keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def unescape(token: str) -> str:
    """Undo JSON pointer escaping of one token."""
    return token.replace("~1", "/").replace("~0", "~")
