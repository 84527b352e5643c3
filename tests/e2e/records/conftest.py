"""Two gateway processes on one database, once on SQLite and once on PostgreSQL.

They share the session's stack (Temporal, workers, moto), trust an SSO proxy
(on 127.0.0.1 with a shared secret) and a local OIDC issuer, and have their
own users: ada (engineering), grace and linus (engineering, cloud-ops) and
root (foyer-admins, with an ``admin`` key).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from foyer.db import Actor, Stores
from foyer.devstack import Stack
from tests.databases import Databases
from tests.e2e.conftest import REPO, Api
from tests.e2e.records.processes import Gateway, Issuer

SEEDER = Actor("cli:tests@host", "cli", "host")
USERS = {
    "ada": ("Ada Lovelace", ["engineering"], ["run", "approve"]),
    "grace": ("Grace Hopper", ["engineering", "cloud-ops"], ["run", "approve"]),
    "linus": ("Linus Torvalds", ["engineering", "cloud-ops"], ["run", "approve"]),
    "root": ("Root", ["foyer-admins"], ["admin"]),
}


@dataclass
class Deployment:
    """Gateways sharing one database, with the users' keys and the database itself."""

    kind: str
    url: str
    env: dict[str, str]
    stores: Stores
    proxy_secret: str
    keys: dict[str, str] = field(default_factory=dict)
    gateways: list[Gateway] = field(default_factory=list)

    def api(self, gateway: int = 0) -> Api:
        return Api(base_url=self.gateways[gateway].url, keys=self.keys)


class Deployments:
    """Starts each kind of deployment on first use and stops them all at the end."""

    def __init__(self, stack: Stack, databases: Databases, issuer: Issuer, tmp: Path) -> None:
        self._stack = stack
        self._databases = databases
        self._issuer = issuer
        self._tmp = tmp
        self._started: dict[str, Deployment] = {}

    def get(self, kind: str) -> Deployment:
        if kind not in self._started:
            self._started[kind] = self._start(kind)
        return self._started[kind]

    def _start(self, kind: str) -> Deployment:
        url = (
            self._databases.fresh("sqlite")
            if kind == "sqlite"
            else self._databases.dedicated("e2e_gateways")
        )
        secret = secrets.token_urlsafe(16)
        secret_file = self._tmp / f"proxy-secret-{kind}"
        secret_file.write_text(secret + "\n")
        env = {
            **self._stack.env,
            "FOYER_DATABASE_URL": url,
            "FOYER_SSO_HEADERS": "true",
            "FOYER_SSO_TRUSTED_PROXIES": "127.0.0.1/32",
            "FOYER_SSO_PROXY_SECRET_FILE": str(secret_file),
            "FOYER_OIDC_ISSUER": self._issuer.url,
            "FOYER_OIDC_AUDIENCE": "foyer",
        }
        deployment = Deployment(kind, url, env, Stores.open(url), secret)
        for user, (name, groups, scopes) in USERS.items():
            email = f"{user}@example.com"
            deployment.stores.directory.add_user(email, SEEDER, name=name, groups=groups)
            issued = deployment.stores.directory.create_key(email, "e2e", SEEDER, scopes=scopes)
            deployment.keys[user] = issued.key
        deployment.gateways = [
            Gateway(env, self._tmp / f"gateway-{kind}-{n}.log", REPO).start() for n in range(2)
        ]
        with ThreadPoolExecutor() as pool:
            list(pool.map(Gateway.wait_ready, deployment.gateways))
        return deployment

    def close(self) -> None:
        for deployment in self._started.values():
            for gateway in deployment.gateways:
                gateway.stop()
            deployment.stores.close()


@pytest.fixture(scope="session")
def issuer() -> Iterator[Issuer]:
    started = Issuer().start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def deployments(
    stack: Stack,
    databases: Databases,
    issuer: Issuer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Deployments]:
    started = Deployments(stack, databases, issuer, tmp_path_factory.mktemp("deployments"))
    yield started
    started.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, deployments: Deployments) -> Deployment:
    return deployments.get(request.param)
