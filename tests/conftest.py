"""Fixtures every kind of test may use: fresh gateway databases on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.databases import Databases, start_postgres, stop_postgres


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
