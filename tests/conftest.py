"""Fixtures every kind of test may use: fresh gateway databases on SQLite and PostgreSQL,
and one real stack per test session, shared by the end-to-end and browser tests
(Temporal dev server, moto, workers, and the gateway serving the built portal).

The stack runs on free loopback ports in a temporary directory, so the suite
passes while a developer's ``make up`` is running.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from foyer.devstack import Stack, StackConfig
from tests.databases import Databases, start_postgres, stop_postgres

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Hands out fresh, migrated databases; PostgreSQL starts on first use."""
    found = Databases(tmp_path_factory.mktemp("databases"), start_postgres, stop_postgres)
    yield found
    found.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, databases: Databases) -> str:
    """The URL of a fresh database at the newest schema, once on each backend."""
    return databases.fresh(request.param)


def stack_config(state_dir: Path, **changes: Any) -> StackConfig:
    """A whole stack of the demo catalog on free ports, logging to files under ``state_dir``."""
    catalog = changes.pop("catalog_dir", REPO / "examples" / "catalog")
    return StackConfig.private(
        state_dir, catalog, **{"repo_root": REPO, "ready_timeout": 60, **changes}
    )


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with Stack(stack_config(tmp_path_factory.mktemp("stack"))) as running:
        yield running
