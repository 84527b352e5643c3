"""Signing keys, demo users and the credentials file, created once and reused after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from foyer.devstack._config import StackPaths
from foyer.devstack._errors import StackError
from foyer.devstack._files import private_dir, reserve_private, write_private
from foyer.identities import User, UsersFile, hash_key, new_api_key, write_users
from foyer.signing import generate_key_pair, generate_secret


@dataclass(frozen=True)
class DemoUser:
    name: str
    email: str
    groups: tuple[str, ...]


DEMO_USERS = (
    DemoUser("Ada Lovelace", "ada@example.com", ("engineering",)),
    DemoUser("Grace Hopper", "grace@example.com", ("engineering", "cloud-ops")),
    DemoUser("Linus Torvalds", "linus@example.com", ("engineering", "cloud-ops")),
)
"""A plain requester and two approvers, so two-person approval can be tried."""


def ensure_keys(paths: StackPaths) -> None:
    """Create the gateway's keys unless they exist already, private from the start."""
    private_dir(paths.signing_key.parent)
    if not (paths.signing_key.is_file() and paths.public_key.is_file()):
        reserve_private(paths.signing_key)
        generate_key_pair(paths.signing_key, paths.public_key)
    if not paths.secret_key.is_file():
        generate_secret(paths.secret_key)


def _read_credentials(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise StackError(
            f"{path} is not valid JSON ({err}); delete it to get new demo keys"
        ) from err
    return document if isinstance(document, dict) else {}


def _read_users(path: Path) -> list[User]:
    if not path.is_file():
        return []
    raw = yaml.safe_load(path.read_text()) or {}
    return UsersFile.model_validate(raw).users


def ensure_users(paths: StackPaths) -> list[dict[str, Any]]:
    """Make sure every demo user exists with a working API key; return them with their keys.

    Keys already issued (recorded in the credentials file) are kept, so clients and
    runs from a previous start keep working. Users and keys added to the users file
    by other means are left alone.
    """
    known = {
        user.get("email"): user
        for user in _read_credentials(paths.credentials).get("users", [])
        if isinstance(user, dict)
    }
    users = _read_users(paths.users_file)
    by_email = {user.email: user for user in users}
    changed = not paths.users_file.is_file()
    result = []
    for demo in DEMO_USERS:
        api_key = known.get(demo.email, {}).get("api_key") or new_api_key()
        user = by_email.get(demo.email)
        if user is None:
            user = User(email=demo.email, name=demo.name, groups=list(demo.groups))
            users.append(user)
            changed = True
        if hash_key(api_key) not in user.key_hashes:
            user.key_hashes.append(hash_key(api_key))
            changed = True
        result.append(
            {"name": user.name, "email": user.email, "api_key": api_key, "groups": user.groups}
        )
    if changed:
        private_dir(paths.users_file.parent)
        reserve_private(paths.users_file)
        write_users(paths.users_file, users)
    return result


def write_credentials(
    path: Path, links: dict[str, str | None], users: list[dict[str, Any]]
) -> dict[str, Any]:
    """Write the demo credentials, readable by the owner only, and return them."""
    document: dict[str, Any] = {**links, "users": users}
    private_dir(path.parent)
    write_private(path, json.dumps(document, indent=2) + "\n")
    return document
