"""Fixtures for the user commands: a private config directory and an in-memory gateway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foyer.cli import http, runs
from foyer.cli.config import Profile

from .fakes import URL, FakeGateway


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config directory and no gateway from the environment."""
    directory = tmp_path / "config"
    monkeypatch.setenv("FOYER_CONFIG_DIR", str(directory))
    for name in ("FOYER_URL", "FOYER_API_KEY", "FOYER_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return directory


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGateway]:
    """Commands talk to a FakeGateway; polling and retries do not wait."""
    fake = FakeGateway()

    def open_gateway(profile: str | None = None) -> http.Gateway:
        return http.Gateway(Profile(profile or "default", URL, "key-1"), transport=fake.transport())

    monkeypatch.setattr(http, "open_gateway", open_gateway)
    monkeypatch.setattr(http.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(runs.time, "sleep", lambda seconds: None)
    yield fake


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
