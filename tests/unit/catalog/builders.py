"""A valid entry to vary, the shared defs it uses, and where the demo catalog is."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parents[3] / "examples" / "catalog"

DEFS = {
    "defs/aws.yaml": {
        "$defs": {
            "aws_account_name": {"type": "string", "enum": ["sandbox", "data-prod"]},
            "aws_region": {"type": "string", "enum": ["us-east-1"], "default": "us-east-1"},
        }
    },
    "defs/common.yaml": {"$defs": {"dry_run": {"type": "boolean", "default": True}}},
}

ENTRY: dict[str, Any] = {
    "apiVersion": "foyer/v1",
    "kind": "Workflow",
    "id": "delete-table",
    "title": "Delete a table",
    "description": "Deletes a table.",
    "owners": ["cloud-ops"],
    "workflow_type": "DeleteTable",
    "namespace": "cloud-ops",
    "nexus_endpoint": "cloud-ops",
    "task_queue": "tables",
    "default_environment": "prod",
    "environments": {"stage": {}, "prod": {}},
    "access": {"run": ["engineering"], "approve": ["cloud-ops"]},
    "approval": {"required": True, "timeout": "24h"},
    "schema": {
        "type": "object",
        "required": ["aws_account", "table"],
        "properties": {
            "aws_account": {"$ref": "defs/aws.yaml#/$defs/aws_account_name"},
            "table": {"type": "string", "pattern": "^[a-z-]{3,}$"},
            "dry_run": {"$ref": "defs/common.yaml#/$defs/dry_run"},
        },
    },
    "examples": [{"name": "Plan", "inputs": {"aws_account": "sandbox", "table": "orders"}}],
}

WriteCatalog = Callable[..., Path]


def entry(**changes: Any) -> dict[str, Any]:
    """A copy of the valid ENTRY with top-level keys replaced (``None`` removes a key)."""
    document = copy.deepcopy(ENTRY)
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document
