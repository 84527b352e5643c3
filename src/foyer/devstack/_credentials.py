"""Signing keys, demo users and the credentials file, created once and reused after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foyer.devstack._config import StackPaths
from foyer.devstack._errors import StackError
from foyer.devstack._files import private_dir, reserve_private, write_private
from foyer.signing import generate_key_pair, generate_secret


@dataclass(frozen=True)
class DemoUser:
    name: str
    email: str
    groups: tuple[str, ...]


DEMO_USERS = (
    DemoUser("Ada Lovelace", "ada@example.com", ("engineering",)),
    DemoUser("Grace Hopper", "grace@example.com", ("engineering", "cloud-ops")),
    DemoUser("Linus Torvalds", "linus@example.com", ("engineering", "cloud-ops", "platform")),
)
"""A plain requester and two approvers, so two-person approval can be tried."""

SERVICE_ACCOUNTS = (
    DemoUser("cloud-ops scheduler", "cloud-ops-scheduler@example.com", ("engineering",)),
)
"""Service accounts without keys that the catalog's schedules request their runs as."""


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


def ensure_users(paths: StackPaths) -> list[dict[str, Any]]:
    """Bring the database up to date and return the demo users with their API keys.

    Only a new database (one without users) gets the demo users, each with a
    fresh key; afterwards the database is the administrators' (`foyer users`,
    `foyer keys`): a revoked demo key stays revoked. The keys issued at seeding
    are read back from the credentials file.
    """
    from sqlalchemy.engine import make_url

    from foyer.db import Actor, Stores, upgrade
    from foyer.settings import Settings

    url = Settings(state_dir=paths.state_dir).database_url
    database_file = make_url(url).database if url.startswith("sqlite") else None
    if database_file:
        # It holds key digests and the audit log: private from its first byte.
        private_dir(Path(database_file).parent)
        reserve_private(Path(database_file))
    stores = Stores.open(url, check_schema=False)
    try:
        upgrade(stores.db)
        actor = Actor("system:foyer-up", "devstack", "localhost")
        _ensure_service_accounts(stores, actor)
        if any(user.kind == "user" for user in stores.directory.list_users()):
            return _known_users(paths.credentials)
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


def _ensure_service_accounts(stores: Any, actor: Any) -> None:
    """Add the service accounts schedules run as, unless they exist (also in older databases)."""
    known = {user.email for user in stores.directory.list_users()}
    for service in SERVICE_ACCOUNTS:
        if service.email not in known:
            stores.directory.add_user(
                service.email, actor, name=service.name, groups=service.groups, kind="service"
            )


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
    private_dir(path.parent)
    write_private(path, json.dumps(document, indent=2) + "\n")
    return document
