"""A gateway app over a temporary users file and keys; nothing connects to Temporal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from foyer.identities import User, hash_key, new_api_key, write_users
from foyer.settings import Settings
from foyer.signing import generate_key_pair, generate_secret

REPO = Path(__file__).resolve().parents[3]


@dataclass
class Keys:
    ada: str
    grace: str


@pytest.fixture
def keys() -> Keys:
    return Keys(ada=new_api_key(), grace=new_api_key())


@pytest.fixture
def settings(tmp_path: Path, keys: Keys) -> Settings:
    write_users(
        tmp_path / "users.yaml",
        [
            User(
                email="ada@example.com",
                name="Ada Lovelace",
                groups=["engineering"],
                key_hashes=[hash_key(keys.ada)],
            ),
            User(
                email="grace@example.com",
                name="Grace Hopper",
                groups=["engineering", "cloud-ops"],
                key_hashes=[hash_key(keys.grace)],
            ),
        ],
    )
    generate_key_pair(tmp_path / "signing.pem", tmp_path / "public.pem")
    generate_secret(tmp_path / "secret")
    return Settings(
        catalog_dir=REPO / "examples" / "catalog",
        users_file=tmp_path / "users.yaml",
        signing_key_file=tmp_path / "signing.pem",
        gateway_public_key_file=tmp_path / "public.pem",
        secret_key_file=tmp_path / "secret",
        temporal_address="127.0.0.1:1",
    )
