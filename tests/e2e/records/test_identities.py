"""Users, keys, scopes and single sign-on through two real gateways on one database."""

from __future__ import annotations

import json
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from foyer.db import AuditFilter
from tests.e2e.conftest import delete_inputs
from tests.e2e.records.conftest import SEEDER, Deployment
from tests.e2e.records.processes import Issuer, foyer


async def call(
    url: str, method: str, path: str, *, local_address: str | None = None, **kwargs: Any
) -> httpx.Response:
    transport = httpx.AsyncHTTPTransport(local_address=local_address)
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=30) as client:
        return await client.request(method, path, **kwargs)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_admin_api_manages_users_and_keys_and_revocation_is_immediate_everywhere(
    deployment: Deployment, table: str
) -> None:
    root = bearer(deployment.keys["root"])
    first, second = (g.url for g in deployment.gateways)
    email = f"hedy-{table}@example.com"

    user = {"email": email, "name": "Hedy", "groups": ["engineering"]}
    added = await call(first, "POST", "/api/admin/users", headers=root, json=user)
    assert added.status_code == 201, added.text
    key = {"user": email, "name": "laptop", "scopes": ["run"]}
    created = await call(second, "POST", "/api/admin/keys", headers=root, json=key)
    assert created.status_code == 201, created.text
    issued = created.json()
    assert issued["key"].startswith("foyer_") and issued["scopes"] == ["run"]

    me = await call(first, "GET", "/api/me", headers=bearer(issued["key"]))
    assert me.json() == {"subject": email, "name": "Hedy", "groups": ["engineering"]}
    keys = await call(first, "GET", "/api/admin/keys", headers=root, params={"user": email})
    [listed] = keys.json()["items"]
    assert "key" not in listed and listed["last_used_at"] is not None

    revoked = await call(first, "DELETE", f"/api/admin/keys/{issued['id']}", headers=root)
    assert revoked.json()["status"] == "revoked"
    for url in (first, second):
        refused = await call(url, "GET", "/api/me", headers=bearer(issued["key"]))
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["message"].startswith("This API key was revoked on")

    actions = [
        (r.action, r.actor, r.target)
        for r in deployment.stores.audit.iterate()
        if r.target in {email, issued["id"]}
    ]
    assert actions == [
        ("user.created", "root@example.com", email),
        ("key.created", "root@example.com", issued["id"]),
        ("key.revoked", "root@example.com", issued["id"]),
        ("key.refused", email, issued["id"]),
    ]


async def test_scopes_limit_what_a_key_may_do(deployment: Deployment, table: str) -> None:
    url = deployment.gateways[0].url
    run_only = deployment.stores.directory.create_key(
        "grace@example.com", "ci", SEEDER, scopes=["run"]
    )
    body = {"workflow": "delete-dynamodb-table", "inputs": delete_inputs(table, dry_run=True)}
    submitted = await call(url, "POST", "/api/runs", headers=bearer(run_only.key), json=body)
    assert submitted.status_code == 201, submitted.text

    run_id = submitted.json()["id"]
    approve = await call(url, "POST", f"/api/runs/{run_id}/approve", headers=bearer(run_only.key))
    admin = await call(url, "GET", "/api/admin/users", headers=bearer(deployment.keys["ada"]))

    assert approve.status_code == 403
    assert approve.json()["errors"][0]["message"].startswith("This API key lacks the `approve`")
    assert admin.status_code == 403
    assert "`admin` scope" in admin.json()["errors"][0]["message"]
    refused = deployment.stores.audit.page(AuditFilter(action="decision.refused", target=run_id))
    assert [(r.actor, r.outcome) for r in refused.items] == [("grace@example.com", "refused")]
    assert "lacks the `approve` scope" in refused.items[0].detail["reason"]


async def test_trusted_proxy_headers_sign_users_in(deployment: Deployment, table: str) -> None:
    url = deployment.gateways[1].url
    email = f"proxy-{table}@example.com"
    headers = {
        "X-Forwarded-Email": email,
        "X-Forwarded-Groups": "engineering,cloud-ops",
        "X-Forwarded-Preferred-Username": "Proxy User",
        "X-Foyer-Proxy-Secret": deployment.proxy_secret,
        "X-Forwarded-For": "203.0.113.9",
    }

    me = await call(url, "GET", "/api/me", headers=headers)
    no_secret = await call(url, "GET", "/api/me", headers={**headers, "X-Foyer-Proxy-Secret": "x"})
    untrusted = await call(url, "GET", "/api/me", headers=headers, local_address="127.0.0.2")

    assert me.status_code == 200, me.text
    assert me.json() == {
        "subject": email, "name": "Proxy User", "groups": ["cloud-ops", "engineering"]
    }  # fmt: skip
    assert (no_secret.status_code, untrusted.status_code) == (401, 401)
    user = deployment.stores.directory.get_user(email)
    assert (user.source, user.groups) == ("proxy", ["cloud-ops", "engineering"])
    records = deployment.stores.audit.page(AuditFilter(actor=email)).items
    assert [(r.action, r.source) for r in reversed(records)] == [
        ("user.created", "203.0.113.9"),
        ("session.started", "203.0.113.9"),
    ]

    moved = await call(url, "GET", "/api/me", headers={**headers, "X-Forwarded-Groups": "data"})
    assert moved.json()["groups"] == ["data"]
    assert deployment.stores.audit.page(AuditFilter(actor=email, action="user.changed")).items


async def test_oidc_tokens_from_the_issuer_sign_users_in(
    deployment: Deployment, issuer: Issuer, table: str
) -> None:
    url = deployment.gateways[0].url
    email = f"oidc-{table}@example.com"

    signed_in = bearer(issuer.token(email, groups=["engineering", "foyer-admins"]))
    me = await call(url, "GET", "/api/me", headers=signed_in)
    admin = await call(url, "GET", "/api/admin/users", headers=signed_in)

    assert me.status_code == 200, me.text
    assert me.json()["groups"] == ["engineering", "foyer-admins"]
    assert admin.status_code == 200, admin.text
    assert deployment.stores.directory.get_user(email).source == "oidc"

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token, problem in [
        (issuer.token(email, lifetime=-120), "expired"),
        (issuer.token(email, audience="someone-else"), "Audience"),
        (issuer.token(email, key=stranger), "Signature verification failed"),
        (issuer.token(email, email_verified=False), "not verified"),
    ]:
        refused = await call(url, "GET", "/api/me", headers=bearer(token))
        assert refused.status_code == 401, (problem, refused.text)
        assert problem in refused.json()["errors"][0]["message"]


def test_cli_manages_users_and_keys_in_the_gateways_database(
    deployment: Deployment, table: str
) -> None:
    email = f"cli-{table}@example.com"
    env = deployment.env

    added = foyer(env, "users", "add", email, "--name", "Cli User", "-g", "engineering")
    created = foyer(
        env, "keys", "create", "--user", email, "--name", "ci",
        "--scope", "run", "--expires", "30d", "--output", "json")  # fmt: skip
    assert (added.returncode, added.stdout) == (0, f"Added user {email} (groups: engineering)\n")
    assert created.returncode == 0, created.stderr
    issued = json.loads(created.stdout)
    assert set(issued) >= {"id", "key", "user", "scopes", "expires_at"}

    me = httpx.get(f"{deployment.gateways[1].url}/api/me", headers=bearer(issued["key"]))
    assert me.status_code == 200, me.text

    grouped = foyer(env, "users", "set-groups", email, "engineering", "cloud-ops")
    listed = foyer(env, "keys", "list", "--user", email)
    revoked = foyer(env, "keys", "revoke", issued["id"])
    assert grouped.stdout == f"{email} is in: cloud-ops, engineering\n"
    assert issued["id"] in listed.stdout and "active" in listed.stdout
    assert revoked.stdout == f"Revoked {issued['id']} `ci` of {email}\n"
    refused = httpx.get(f"{deployment.gateways[0].url}/api/me", headers=bearer(issued["key"]))
    assert refused.status_code == 401

    missing = foyer(env, "keys", "revoke", "key_nope")
    assert (missing.returncode, missing.stderr) == (
        1, "error: API key `key_nope` does not exist; `foyer keys list` shows them\n"
    )  # fmt: skip
