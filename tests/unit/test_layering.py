"""What may import what: the architecture, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "foyer"


def imports_of(package: str) -> dict[str, set[str]]:
    """Every module a package's files import, top-level or lazily inside functions."""
    found: dict[str, set[str]] = {}
    for path in sorted((SRC / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(SRC))] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in imports_of(package).items()
        for name in sorted(names)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # Callers start workflows by name; they never load worker or workflow code.
        ("gateway", ("foyer.router", "foyer.publish", "foyer.devstack", "examples")),
        ("contracts", ("foyer.catalog", "foyer.gateway", "foyer.router", "foyer.publish")),
        ("catalog", ("temporalio", "fastapi", "typer", "foyer.gateway", "foyer.publish")),
        # The router reads no files: no catalog, no settings, no network.
        ("router", ("foyer.catalog", "foyer.settings", "foyer.gateway", "httpx", "boto3")),
        ("publish", ("foyer.gateway", "foyer.router", "foyer.devstack")),
        # Option search and checks are shared by the gateway and the team side.
        ("options", ("foyer.gateway", "foyer.router", "foyer.publish", "fastapi")),
        # Scheduled runs go through the run service, never the web layer.
        ("schedules", ("foyer.gateway", "foyer.router", "foyer.publish", "fastapi")),
        # The database knows nothing of HTTP, Temporal or the run service that uses it.
        (
            "db",
            (
                "foyer.gateway",
                "foyer.runs",
                "foyer.router",
                "foyer.publish",
                "temporalio",
                "fastapi",
            ),
        ),
    ],
)
def test_package_does_not_import(package: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(package, forbidden) == []


def test_only_temporal_module_connects_clients() -> None:
    connecting = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "Client.connect(" in path.read_text()
    ]
    assert connecting == ["temporal.py"]
