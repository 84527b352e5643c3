import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from foyer.devstack import DEMO_USERS, StackPaths
from foyer.devstack._credentials import ensure_keys, ensure_users, write_credentials
from foyer.identities import User, UserDirectory, hash_key, write_users

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


def test_first_start_writes_keys_users_and_owner_only_credentials(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path / "state")

    credentials = first_start(paths)

    assert json.loads(paths.credentials.read_text()) == credentials
    assert mode(paths.state_dir) == 0o700
    assert mode(paths.signing_key.parent) == 0o700
    for secret in (paths.credentials, paths.signing_key, paths.secret_key, paths.users_file):
        assert mode(secret) == 0o600, secret
    assert paths.public_key.is_file()
    assert list(credentials) == [*LINKS, "users"]
    users = credentials["users"]
    assert isinstance(users, list)
    assert [(u["name"], u["email"], u["groups"]) for u in users] == [
        (d.name, d.email, list(d.groups)) for d in DEMO_USERS
    ]
    directory = UserDirectory.load(paths.users_file)
    for user in users:
        found = directory.authenticate(user["api_key"])
        assert found is not None and found.email == user["email"]
    assert all(u["api_key"] not in paths.users_file.read_text() for u in users)


def test_second_start_reuses_keys_and_api_keys(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path)
    before = first_start(paths)
    signing_key = paths.signing_key.read_bytes()
    users_file = paths.users_file.read_text()

    after = write_credentials(
        paths.credentials, {**LINKS, "gateway_url": "http://127.0.0.1:9000"}, ensure_users(paths)
    )
    ensure_keys(paths)

    assert after["users"] == before["users"]
    assert after["gateway_url"] == "http://127.0.0.1:9000"
    assert paths.signing_key.read_bytes() == signing_key
    assert paths.users_file.read_text() == users_file


def test_users_added_by_an_admin_are_kept(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path)
    first_start(paths)
    users = yaml.safe_load(paths.users_file.read_text())["users"]
    admin = User(email="root@example.com", groups=["platform"], key_hashes=[hash_key("k")])
    write_users(paths.users_file, [*(User.model_validate(u) for u in users), admin])

    ensure_users(paths)

    assert UserDirectory.load(paths.users_file).authenticate("k") == admin


def test_lost_users_file_is_rebuilt_with_the_same_keys(tmp_path: Path) -> None:
    paths = StackPaths(tmp_path)
    before = first_start(paths)
    paths.users_file.unlink()

    ensure_users(paths)

    directory = UserDirectory.load(paths.users_file)
    assert all(directory.authenticate(u["api_key"]) for u in before["users"])  # type: ignore[attr-defined]
