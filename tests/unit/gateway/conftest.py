"""The gateway over HTTP, in-process: a temporary database, users and keys; no Temporal."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from foyer.db import Actor, Stores
from foyer.gateway import create_app
from foyer.settings import Settings
from foyer.signing import generate_key_pair, generate_secret
from tests.databases import Databases

DEMO_CATALOG = Path(__file__).resolve().parents[3] / "examples" / "catalog"
USERS = {"ada": ("Ada", ["engineering"]), "grace": ("Grace", ["engineering", "cloud-ops"])}


def closed_port() -> int:
    """A loopback port nothing listens on, so any Temporal call fails fast."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def database_url(databases: Databases) -> str:
    """A fresh SQLite database at the newest schema (a copy of the session's migrated one)."""
    return databases.fresh("sqlite")


@pytest.fixture
def keys(database_url: str) -> dict[str, str]:
    """A migrated SQLite database with Ada and Grace; their API keys by first name."""
    stores = Stores.open(database_url)
    issued = {}
    for user, (name, groups) in USERS.items():
        email = f"{user}@example.com"
        stores.directory.add_user(email, Actor("tests"), name=name, groups=groups)
        issued[user] = stores.directory.create_key(email, "tests", Actor("tests")).key
    stores.close()
    return issued


@pytest.fixture
def settings(tmp_path: Path, database_url: str, keys: dict[str, str]) -> Settings:
    signing, public = tmp_path / "keys" / "signing.pem", tmp_path / "keys" / "public.pem"
    generate_key_pair(signing, public)
    secret = tmp_path / "keys" / "secret"
    generate_secret(secret)
    return Settings(
        state_dir=tmp_path,
        database_url=database_url,
        catalog_dir=DEMO_CATALOG,
        signing_key_file=signing,
        gateway_public_key_file=public,
        secret_key_file=secret,
        temporal_address=f"127.0.0.1:{closed_port()}",
    )


@pytest.fixture
def client(settings: Settings, keys: dict[str, str]) -> Iterator[TestClient]:
    """A client authenticated as Ada (engineering: may run, may not approve)."""
    with TestClient(
        create_app(settings),
        headers={"Authorization": f"Bearer {keys['ada']}"},
        raise_server_exceptions=False,
    ) as test_client:
        yield test_client


@pytest.fixture
def anonymous(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
