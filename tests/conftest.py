"""One real stack per test session, shared by the end-to-end and browser tests:
Temporal dev server, moto, workers, gateway (serving the built portal).

Everything runs on free loopback ports in a temporary directory, so the suite
passes while a developer's ``make up`` is running.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from foyer.devstack import Stack, StackConfig, free_port

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    config = StackConfig(
        state_dir=tmp_path_factory.mktemp("stack"),
        temporal_port=free_port(),
        ui_port=None,
        gateway_port=free_port(),
        moto_port=free_port(),
        catalog_dir=REPO / "examples" / "catalog",
        repo_root=REPO,
        logs="files",
        ready_timeout=60,
    )
    with Stack(config) as running:
        yield running
