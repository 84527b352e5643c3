"""Small valid catalogs on disk, built from the catalog tests' entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.unit.catalog.builders import DEFS, entry


def write_catalog(root: Path, *entries: dict[str, Any]) -> Path:
    """Write ``entries`` (one file each, named by id) and the shared defs under ``root``."""
    for name, document in DEFS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document))
    for document in entries:
        (root / f"{document['id']}.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return root


def team_entry(entry_id: str, namespace: str, **changes: Any) -> dict[str, Any]:
    """A valid entry of its own id and workflow type, in ``namespace`` with an endpoint of the
    same name."""
    values: dict[str, Any] = {
        "id": entry_id,
        "workflow_type": "".join(part.title() for part in entry_id.split("-")),
        "namespace": namespace,
        "nexus_endpoint": namespace,
    }
    return entry(**{**values, **changes})
