"""How the gateway tells who is calling: keys, proxy headers, and which proxies count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from foyer.db import Actor, Database, Stores, upgrade
from foyer.errors import Unauthenticated
from foyer.gateway.auth import Authenticator, Request, SsoMisconfigured
from foyer.settings import Settings

ADMIN = Actor("cli:root@host", "cli", "host")
SSO = {
    "X-Forwarded-Email": "Hedy@Example.com",
    "X-Forwarded-Groups": "engineering, cloud-ops",
    "X-Forwarded-Preferred-Username": "Hedy Lamarr",
}


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[Stores]:
    url = f"sqlite:///{tmp_path / 'foyer.db'}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    opened = Stores.open(url)
    yield opened
    opened.close()


def authenticator(stores: Stores, tmp_path: Path, **settings: object) -> Authenticator:
    return Authenticator(Settings(state_dir=tmp_path, **settings), stores.directory)  # type: ignore[arg-type]


def request(headers: dict[str, str], peer: str = "10.0.0.5") -> Request:
    return Request(headers={k.lower(): v for k, v in headers.items()}, peer=peer)


def test_an_api_key_authenticates(stores: Stores, tmp_path: Path) -> None:
    stores.directory.add_user("ada@example.com", ADMIN, groups=["engineering"])
    issued = stores.directory.create_key("ada@example.com", "laptop", ADMIN, scopes=["run"])

    user = authenticator(stores, tmp_path).authenticate(
        request({"Authorization": f"Bearer {issued.key}"})
    )

    assert (user.email, user.scopes, user.key_id) == ("ada@example.com", ["run"], issued.id)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Send an API key as `Authorization: Bearer <key>`"),
        ({"Authorization": "Basic abc"}, "Send an API key as `Authorization: Bearer <key>`"),
        ({"Authorization": "Bearer foyer_nope"}, "This API key is not valid"),
        (SSO, "Send an API key"),  # headers ignored: SSO is off
    ],
)
def test_without_valid_credentials_the_answer_says_what_to_send(
    stores: Stores, tmp_path: Path, headers: dict[str, str], message: str
) -> None:
    with pytest.raises(Unauthenticated, match=message):
        authenticator(stores, tmp_path).authenticate(request(headers))


def test_proxy_headers_count_only_from_trusted_addresses(stores: Stores, tmp_path: Path) -> None:
    auth = authenticator(stores, tmp_path, sso_headers=True, sso_trusted_proxies="10.0.0.0/24, ::1")

    user = auth.authenticate(request(SSO, peer="10.0.0.5"))

    assert (user.email, user.name, user.groups) == (
        "hedy@example.com", "Hedy Lamarr", ["cloud-ops", "engineering"]
    )  # fmt: skip
    with pytest.raises(Unauthenticated):
        auth.authenticate(request(SSO, peer="10.0.1.5"))


def test_a_shared_secret_is_required_when_configured(stores: Stores, tmp_path: Path) -> None:
    secret = tmp_path / "proxy-secret"
    secret.write_text("s3cret\n")
    auth = authenticator(
        stores,
        tmp_path,
        sso_headers=True,
        sso_trusted_proxies="10.0.0.5",
        sso_proxy_secret_file=secret,
    )

    user = auth.authenticate(request({**SSO, "X-Foyer-Proxy-Secret": "s3cret"}))

    assert user.email == "hedy@example.com"
    for headers in (SSO, {**SSO, "X-Foyer-Proxy-Secret": "guess"}):
        with pytest.raises(Unauthenticated):
            auth.authenticate(request(headers))


def test_sso_headers_without_a_way_to_trust_the_proxy_refuse_to_start(
    stores: Stores, tmp_path: Path
) -> None:
    with pytest.raises(SsoMisconfigured, match="FOYER_SSO_TRUSTED_PROXIES"):
        authenticator(stores, tmp_path, sso_headers=True)
    with pytest.raises(SsoMisconfigured, match="`nonsense` is not an address"):
        authenticator(stores, tmp_path, sso_headers=True, sso_trusted_proxies="nonsense")


def test_the_source_is_the_forwarded_address_only_behind_a_trusted_proxy(
    stores: Stores, tmp_path: Path
) -> None:
    auth = authenticator(stores, tmp_path, sso_headers=True, sso_trusted_proxies="10.0.0.5")
    forwarded = {"X-Forwarded-For": "203.0.113.9, 10.0.0.5"}

    assert auth.source(request(forwarded, peer="10.0.0.5")) == "203.0.113.9"
    assert auth.source(request(forwarded, peer="198.51.100.1")) == "198.51.100.1"
