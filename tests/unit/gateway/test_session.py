"""Portal sessions: sign-in, the cookie, re-checking the key, CSRF, sign-out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from foyer.db import Actor, AuditFilter
from foyer.gateway.app import create_app
from foyer.gateway.session import COOKIE_NAME, SESSION_TTL_SECONDS, SessionCodec
from foyer.identities import hash_key
from foyer.settings import Settings

Keys = dict[str, str]

CSRF = {"X-Foyer-CSRF": "1"}
BAD_INPUTS = {"workflow": "delete-dynamodb-table", "inputs": {"table_name": "no spaces allowed"}}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client with no credentials of its own: the session cookie is all it has."""
    with TestClient(create_app(settings)) as client:
        yield client


def sign_in(client: TestClient, key: str) -> None:
    response = client.post("/api/session", json={"api_key": key})
    assert response.status_code == 200, response.text


def set_cookie_header(response: object) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    cookies = [v for v in headers.get_list("set-cookie") if v.startswith(COOKIE_NAME + "=")]
    assert len(cookies) == 1, headers
    return str(cookies[0])


def test_sign_in_sets_an_httponly_strict_cookie_and_returns_the_user(
    client: TestClient, keys: Keys
) -> None:
    response = client.post("/api/session", json={"api_key": keys["ada"]})

    assert response.status_code == 200
    assert response.json() == {
        "subject": "ada@example.com",
        "name": "Ada",
        "groups": ["engineering"],
    }
    cookie = set_cookie_header(response)
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert "path=/;" in cookie.lower() + ";"
    assert f"max-age={SESSION_TTL_SECONDS}" in cookie.lower()
    assert "secure" not in attributes  # plain http on loopback
    assert keys["ada"] not in cookie


def test_signing_in_is_audited(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/session", json={"api_key": keys["ada"]}, headers={"X-Foyer-Client": "portal"}
    )
    assert response.status_code == 200

    audit = client.app.state.gateway.stores.audit  # type: ignore[attr-defined]
    [record] = audit.page(AuditFilter(action="session.started")).items
    assert (record.actor, record.target, record.client, record.outcome) == (
        "ada@example.com",
        "ada@example.com",
        "portal",
        "ok",
    )
    assert record.source == "testclient"


def test_a_revoked_key_cannot_sign_in_and_says_so(client: TestClient, keys: Keys) -> None:
    directory = client.app.state.gateway.users  # type: ignore[attr-defined]
    [key] = directory.list_keys("ada@example.com")
    directory.revoke_key(key.id, Actor("tests"))

    response = client.post("/api/session", json={"api_key": keys["ada"]})

    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["field"] == "api_key"
    assert "revoked" in error["message"]
    assert "set-cookie" not in response.headers


def test_cookie_is_secure_when_the_gateway_is_reached_over_https(
    settings: Settings, keys: Keys
) -> None:
    settings = settings.model_copy(update={"public_url": "https://foyer.example.com"})
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/session", json={"api_key": keys["ada"]})
    assert "secure" in {p.strip().lower() for p in set_cookie_header(response).split(";")}


def test_wrong_key_is_refused_without_a_cookie(client: TestClient) -> None:
    response = client.post("/api/session", json={"api_key": "foyer_not-a-key"})

    assert response.status_code == 401
    assert response.json() == {
        "errors": [{"field": "api_key", "message": "This API key is not valid"}]
    }
    assert "set-cookie" not in response.headers


def test_empty_key_is_refused_by_validation(client: TestClient) -> None:
    response = client.post("/api/session", json={"api_key": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "api_key"


def test_the_cookie_authenticates_reads(client: TestClient, keys: Keys) -> None:
    assert client.get("/api/me").status_code == 401
    sign_in(client, keys["ada"])

    response = client.get("/api/me")

    assert response.status_code == 200
    assert response.json()["subject"] == "ada@example.com"
    assert client.get("/api/catalog").status_code == 200


def test_cookie_writes_without_the_csrf_header_are_forbidden(
    client: TestClient, keys: Keys
) -> None:
    sign_in(client, keys["ada"])

    response = client.post("/api/runs", json=BAD_INPUTS)

    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "X-Foyer-CSRF"
    assert "X-Foyer-CSRF: 1" in response.json()["errors"][0]["message"]
    for method, path in [
        ("POST", "/api/runs/run-x/approve"),
        ("POST", "/api/runs/run-x/reject"),
        ("POST", "/api/runs/run-x/cancel"),
    ]:
        assert client.request(method, path, json={}).status_code == 403, path


def test_cookie_writes_with_a_wrong_csrf_value_are_forbidden(
    client: TestClient, keys: Keys
) -> None:
    sign_in(client, keys["ada"])
    response = client.post("/api/runs", json=BAD_INPUTS, headers={"X-Foyer-CSRF": "yes"})
    assert response.status_code == 403


def test_cookie_writes_with_the_csrf_header_go_through(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys["ada"])

    response = client.post("/api/runs", json=BAD_INPUTS, headers=CSRF)

    # Past authentication: the gateway now judges the inputs themselves.
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "inputs.table_name" in fields


def test_bearer_writes_need_no_csrf_header(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/runs", json=BAD_INPUTS, headers={"Authorization": f"Bearer {keys['ada']}"}
    )
    assert response.status_code == 422


def test_a_bearer_header_wins_over_the_cookie(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys["ada"])

    response = client.get("/api/me", headers={"Authorization": f"Bearer {keys['grace']}"})

    assert response.json()["subject"] == "grace@example.com"
    assert client.get("/api/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_revoking_the_key_ends_its_sessions_on_the_next_request(
    client: TestClient, keys: Keys
) -> None:
    sign_in(client, keys["ada"])
    assert client.get("/api/me").status_code == 200
    directory = client.app.state.gateway.users  # type: ignore[attr-defined]
    [key] = directory.list_keys("ada@example.com")
    directory.revoke_key(key.id, Actor("tests"))

    response = client.get("/api/me")

    assert response.status_code == 401
    assert response.json()["errors"] == [
        {"field": "session", "message": "Your session has ended; sign in again"}
    ]


def test_a_signed_cookie_must_name_the_key_s_own_user(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys["ada"])
    codec = client.app.state.session_codec  # type: ignore[attr-defined]
    client.cookies.set(COOKIE_NAME, codec.issue("grace@example.com", hash_key(keys["ada"])))

    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    "tamper",
    [
        lambda value: value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
        lambda value: value.replace("v1.", "v2.", 1),
        lambda value: value.split(".")[0],
        lambda value: "",
        lambda value: "garbage",
    ],
)
def test_tampered_cookies_are_refused(client: TestClient, keys: Keys, tamper: object) -> None:
    sign_in(client, keys["ada"])
    value = client.cookies[COOKIE_NAME]
    client.cookies.set(COOKIE_NAME, tamper(value))  # type: ignore[operator]

    assert client.get("/api/me").status_code == 401


def test_a_cookie_signed_with_another_secret_is_refused(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys["ada"])
    forged = SessionCodec(b"another secret of 32 bytes......").issue(
        "ada@example.com", hash_key(keys["ada"])
    )
    client.cookies.set(COOKIE_NAME, forged)

    assert client.get("/api/me").status_code == 401


def test_sign_out_clears_the_cookie(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys["ada"])

    response = client.delete("/api/session", headers=CSRF)

    assert response.status_code == 204
    cleared = set_cookie_header(response).lower()
    assert "max-age=0" in cleared or "expires=thu, 01 jan 1970" in cleared
    assert client.get("/api/me").status_code == 401


def test_sign_out_with_a_cookie_needs_the_csrf_header(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys["ada"])

    assert client.delete("/api/session").status_code == 403
    assert client.get("/api/me").status_code == 200


def test_sign_out_without_a_session_succeeds(client: TestClient) -> None:
    assert client.delete("/api/session").status_code == 204


class TestCodec:
    def test_round_trip(self) -> None:
        codec = SessionCodec(b"s" * 32, ttl_seconds=60, clock=lambda: 1000.0)
        session = codec.read(codec.issue("ada@example.com", "ab" * 32))
        assert session is not None
        assert (session.subject, session.key_digest, session.expires_at) == (
            "ada@example.com",
            "ab" * 32,
            1060,
        )

    def test_expired_sessions_read_as_none(self) -> None:
        now = [1000.0]
        codec = SessionCodec(b"s" * 32, ttl_seconds=60, clock=lambda: now[0])
        value = codec.issue("ada@example.com", "ab" * 32)
        now[0] = 1059.0
        assert codec.read(value) is not None
        now[0] = 1060.0
        assert codec.read(value) is None

    def test_signed_payloads_that_are_not_claims_read_as_none(self) -> None:
        codec = SessionCodec(b"s" * 32)
        body = "v1." + "bm90IGpzb24"  # base64url of "not json"
        assert codec.read(body + "." + codec._sign(body)) is None
