"""A small loaded entry for tests that need one."""

from __future__ import annotations

from pathlib import Path

from foyer.catalog import Access, Approval, Entry, EnvironmentOverride


def plain_entry() -> Entry:
    return Entry(
        id="delete-table",
        title="Delete a table",
        description="",
        owners=["cloud-ops"],
        tags=[],
        workflow_type="DeleteTable",
        namespace="cloud-ops",
        nexus_endpoint="cloud-ops",
        task_queue="tables",
        default_environment="prod",
        environments={"prod": EnvironmentOverride()},
        access=Access(run=["engineering"], approve=["cloud-ops"]),
        approval=Approval(),
        timeout_seconds=3600,
        schema={"type": "object", "properties": {"table": {"type": "string"}}},
        ui_schema=None,
        guide="",
        examples=[],
        source=Path("entry.yaml"),
    )
