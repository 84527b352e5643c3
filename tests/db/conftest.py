from __future__ import annotations

from collections.abc import Iterator

import pytest

from foyer.db import Actor, Stores

ADMIN = Actor("cli:root@host", "cli", "host")


@pytest.fixture
def stores(database_url: str) -> Iterator[Stores]:
    opened = Stores.open(database_url)
    yield opened
    opened.close()
