"""pytest fixtures for teams: ``pytest_plugins = ["foyer.testing.pytest_plugin"]``.

Provides ``foyer``, one :class:`~foyer.testing.FoyerEnvironment` per test
session. It loads the catalog the ``foyer_catalog`` fixture returns; override
that fixture in your ``conftest.py`` (the default is ``FOYER_CATALOG_DIR``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from foyer.settings import Settings
from foyer.testing._environment import FoyerEnvironment


@pytest.fixture(scope="session")
def foyer_catalog() -> Path:
    """The catalog directory the session's environment serves."""
    return Settings().catalog_dir


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def foyer(foyer_catalog: Path) -> AsyncIterator[FoyerEnvironment]:
    """A dev server with the router and every team's Nexus handler, for the whole session."""
    async with FoyerEnvironment.start(foyer_catalog) as environment:
        yield environment
