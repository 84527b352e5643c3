"""The gateway over HTTP, in-process: a temporary catalog, users and keys; no Temporal."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from foyer.gateway import create_app
from foyer.identities import User, hash_key, write_users
from foyer.settings import Settings
from foyer.signing import generate_key_pair, generate_secret

DEMO_CATALOG = Path(__file__).resolve().parents[3] / "examples" / "catalog"
KEYS = {"ada": "foyer_ada-test-key", "grace": "foyer_grace-test-key"}


def closed_port() -> int:
    """A loopback port nothing listens on, so any Temporal call fails fast."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    users = tmp_path / "users.yaml"
    write_users(
        users,
        [
            User(
                email="ada@example.com",
                name="Ada",
                groups=["engineering"],
                key_hashes=[hash_key(KEYS["ada"])],
            ),
            User(
                email="grace@example.com",
                name="Grace",
                groups=["engineering", "cloud-ops"],
                key_hashes=[hash_key(KEYS["grace"])],
            ),
        ],
    )
    signing, public = tmp_path / "keys" / "signing.pem", tmp_path / "keys" / "public.pem"
    generate_key_pair(signing, public)
    secret = tmp_path / "keys" / "secret"
    generate_secret(secret)
    return Settings(
        state_dir=tmp_path,
        catalog_dir=DEMO_CATALOG,
        users_file=users,
        signing_key_file=signing,
        gateway_public_key_file=public,
        secret_key_file=secret,
        temporal_address=f"127.0.0.1:{closed_port()}",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client authenticated as Ada (engineering: may run, may not approve)."""
    with TestClient(
        create_app(settings),
        headers={"Authorization": f"Bearer {KEYS['ada']}"},
        raise_server_exceptions=False,
    ) as test_client:
        yield test_client


@pytest.fixture
def anonymous(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
