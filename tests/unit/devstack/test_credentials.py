import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from foyer.db import Actor, Stores
from foyer.devstack import DEMO_USERS, StackPaths
from foyer.devstack._credentials import ensure_keys, ensure_users, write_credentials

LINKS: dict[str, str | None] = {
    "gateway_url": "http://127.0.0.1:8000",
    "temporal_ui_url": None,
    "temporal_address": "127.0.0.1:7233",
    "aws_endpoint_url": "http://127.0.0.1:5000",
}


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """With umask 0, only the modes the stack asks for keep its secrets private."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def first_start(paths: StackPaths) -> dict[str, object]:
    ensure_keys(paths)
    return write_credentials(paths.credentials, LINKS, ensure_users(paths))


def database(paths: StackPaths) -> Stores:
    return Stores.open(f"sqlite:///{paths.state_dir / 'foyer.db'}")


def test_first_start_writes_keys_users_and_owner_only_credentials(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path / "state")

    credentials = first_start(paths)

    assert json.loads(paths.credentials.read_text()) == credentials
    assert mode(paths.state_dir) == 0o700
    assert mode(paths.signing_key.parent) == 0o700
    database_file = paths.state_dir / "foyer.db"
    for secret in (paths.credentials, paths.signing_key, paths.secret_key, database_file):
        assert mode(secret) == 0o600, secret
    assert paths.public_key.is_file()
    assert list(credentials) == [*LINKS, "users"]
    users = credentials["users"]
    assert isinstance(users, list)
    assert [(u["name"], u["email"], u["groups"]) for u in users] == [
        (d.name, d.email, list(d.groups)) for d in DEMO_USERS
    ]
    stores = database(paths)
    for user in users:
        found = stores.directory.authenticate(user["api_key"])
        assert found is not None and found.email == user["email"]
    # The service account schedules run as comes first; it has no key.
    assert [record.action for record in stores.audit.iterate()] == ["user.created"] + [
        "user.created",
        "key.created",
    ] * len(DEMO_USERS)
    scheduler = stores.directory.get_user("cloud-ops-scheduler@example.com")
    assert (scheduler.kind, scheduler.groups) == ("service", ["engineering"])
    stores.close()


def test_second_start_reuses_keys_and_api_keys(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path)
    before = first_start(paths)
    signing_key = paths.signing_key.read_bytes()

    after = write_credentials(
        paths.credentials, {**LINKS, "gateway_url": "http://127.0.0.1:9000"}, ensure_users(paths)
    )
    ensure_keys(paths)

    assert after["users"] == before["users"]
    assert after["gateway_url"] == "http://127.0.0.1:9000"
    assert paths.signing_key.read_bytes() == signing_key


def test_an_existing_database_is_never_seeded_again(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path)
    credentials = first_start(paths)
    stores = database(paths)
    for key in stores.directory.list_keys():
        stores.directory.revoke_key(key.id, Actor("cli:admin@host", "cli", "host"))

    ensure_users(paths)

    assert [key.status for key in stores.directory.list_keys()] == ["revoked"] * len(DEMO_USERS)
    users = credentials["users"]
    assert isinstance(users, list)
    assert all(stores.directory.authenticate(u["api_key"]) is None for u in users)
    stores.close()
