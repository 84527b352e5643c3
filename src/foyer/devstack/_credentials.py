"""Signing keys, demo users and the credentials file, created once and reused after."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foyer.devstack._config import StackError, StackPaths
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
    """Create the gateway's key pair unless both halves exist already."""
    if not (paths.signing_key.is_file() and paths.public_key.is_file()):
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


def ensure_users(paths: StackPaths) -> list[dict[str, Any]]:
    """Bring the database up to date and return the demo users with their API keys.

    Only a new database (one without users) gets the demo users, each with a
    fresh key; afterwards the database is the administrators' (`foyer users`,
    `foyer keys`): a revoked demo key stays revoked. The keys issued at seeding
    are read back from the credentials file.
    """
    from foyer.db import Actor, Stores, upgrade
    from foyer.settings import Settings

    stores = Stores.open(Settings(state_dir=paths.state_dir).database_url, check_schema=False)
    try:
        upgrade(stores.db)
        if stores.directory.has_users():
            return _known_users(paths.credentials)
        actor = Actor("system:foyer-up", "devstack", "localhost")
        result = []
        for demo in DEMO_USERS:
            user = stores.directory.add_user(demo.email, actor, name=demo.name, groups=demo.groups)
            key = stores.directory.create_key(demo.email, "demo", actor)
            result.append(
                {
                    "name": user.name,
                    "email": user.email,
                    "api_key": key.key,
                    "groups": list(demo.groups),
                }
            )
        return result
    finally:
        stores.close()


def _known_users(credentials: Path) -> list[dict[str, Any]]:
    known = {
        user.get("email"): user
        for user in _read_credentials(credentials).get("users", [])
        if isinstance(user, dict)
    }
    return [
        {
            "name": demo.name,
            "email": demo.email,
            "api_key": known.get(demo.email, {}).get("api_key"),
            "groups": list(demo.groups),
        }
        for demo in DEMO_USERS
    ]


def write_credentials(
    path: Path, links: dict[str, str | None], users: list[dict[str, Any]]
) -> dict[str, Any]:
    """Write the demo credentials, readable by the owner only, and return them."""
    document: dict[str, Any] = {**links, "users": users}
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
    path.chmod(0o600)
    return document
