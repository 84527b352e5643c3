from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from foyer.db import Actor, AuditFilter, SignIn, Stores
from foyer.db.models import ApiKeyRow
from foyer.errors import Conflict, Invalid, NotFound, Unauthenticated
from foyer.identities import hash_key
from tests.db.conftest import ADMIN

PROXY = Actor("", "portal", "10.1.2.3")


def actions(stores: Stores) -> list[tuple[str, str, str]]:
    records = reversed(stores.audit.page(AuditFilter(), limit=200).items)
    return [(r.actor, r.action, r.target) for r in records]


def add_ada(stores: Stores) -> None:
    stores.directory.add_user("Ada@Example.com", ADMIN, name="Ada Lovelace", groups=["engineering"])


def test_a_key_authenticates_its_user_with_its_scopes(stores: Stores) -> None:
    add_ada(stores)
    issued = stores.directory.create_key("ada@example.com", "laptop", ADMIN, scopes=["run"])

    user = stores.directory.authenticate(issued.key)

    assert user is not None
    assert (user.email, user.name, user.groups) == (
        "ada@example.com", "Ada Lovelace", ["engineering"]
    )  # fmt: skip
    assert (user.scopes, user.key_id) == (["run"], issued.id)
    assert stores.directory.by_key_digest(hash_key(issued.key)) == user
    assert issued.hint == issued.key[:10] + "…"
    assert actions(stores) == [
        ("cli:root@host", "user.created", "ada@example.com"),
        ("cli:root@host", "key.created", issued.id),
    ]


def test_the_secret_is_stored_only_as_its_digest(stores: Stores) -> None:
    add_ada(stores)
    issued = stores.directory.create_key("ada@example.com", "ci", ADMIN)

    with stores.db.read() as session:
        stored = session.get(ApiKeyRow, issued.id)
        assert stored is not None
        assert stored.digest == hash_key(issued.key)
        assert issued.key not in repr(vars(stored))
    assert "key" not in stores.directory.list_keys("ada@example.com")[0].model_dump()


def test_revocation_takes_effect_on_the_next_request(stores: Stores) -> None:
    add_ada(stores)
    issued = stores.directory.create_key("ada@example.com", "laptop", ADMIN)
    assert stores.directory.authenticate(issued.key) is not None

    revoked = stores.directory.revoke_key(issued.id, ADMIN)

    assert revoked.status == "revoked"
    assert stores.directory.authenticate(issued.key) is None
    assert stores.directory.by_key_digest(hash_key(issued.key)) is None
    with pytest.raises(Unauthenticated, match=r"This API key was revoked on .* UTC; ask an admin"):
        stores.directory.verify_key(issued.key, "http", "10.0.0.1")
    refused = stores.audit.page(AuditFilter(action="key.refused")).items
    assert [(r.actor, r.target, r.outcome, r.detail) for r in refused] == [
        ("ada@example.com", issued.id, "refused", {"reason": "revoked"})
    ]


def test_refused_uses_are_audited_at_most_once_a_minute(stores: Stores) -> None:
    add_ada(stores)
    issued = stores.directory.create_key("ada@example.com", "laptop", ADMIN)
    stores.directory.revoke_key(issued.id, ADMIN)

    for _ in range(5):
        assert stores.directory.authenticate(issued.key) is None

    assert len(stores.audit.page(AuditFilter(action="key.refused")).items) == 1


def test_an_expired_key_is_refused(stores: Stores) -> None:
    add_ada(stores)
    soon = datetime.now(UTC) + timedelta(hours=1)
    issued = stores.directory.create_key("ada@example.com", "temp", ADMIN, expires_at=soon)
    assert stores.directory.authenticate(issued.key) is not None
    with stores.db.write() as session:
        session.execute(
            update(ApiKeyRow).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

    with pytest.raises(Unauthenticated, match="This API key was expired on"):
        stores.directory.verify_key(issued.key)
    assert stores.directory.list_keys()[0].status == "expired"


def test_last_used_is_recorded(stores: Stores) -> None:
    add_ada(stores)
    issued = stores.directory.create_key("ada@example.com", "laptop", ADMIN)
    assert stores.directory.list_keys()[0].last_used_at is None

    before = datetime.now(UTC)
    stores.directory.authenticate(issued.key)

    used = stores.directory.list_keys()[0].last_used_at
    assert used is not None and used >= before


@pytest.mark.parametrize(
    "key",
    ["", "foyer_", "Bearer x", "foyer_" + "A" * 36, "ghp_" + "A" * 36],
)
def test_malformed_keys_are_refused_without_a_lookup(stores: Stores, key: str) -> None:
    with pytest.raises(Unauthenticated, match="This API key is not valid"):
        stores.directory.verify_key(key)


def test_an_unknown_key_is_refused(stores: Stores) -> None:
    from foyer.identities import new_api_key

    with pytest.raises(Unauthenticated, match="This API key is not valid"):
        stores.directory.verify_key(new_api_key())


def test_adding_a_user_twice_is_a_conflict(stores: Stores) -> None:
    add_ada(stores)

    with pytest.raises(Conflict, match=r"User `ada@example\.com` already exists"):
        stores.directory.add_user("ADA@example.com", ADMIN)


def test_set_groups_replaces_them_and_audits_the_change(stores: Stores) -> None:
    add_ada(stores)

    user = stores.directory.set_groups("ada@example.com", ["cloud-ops", "engineering"], ADMIN)
    stores.directory.set_groups("ada@example.com", ["engineering", "cloud-ops"], ADMIN)

    assert user.groups == ["cloud-ops", "engineering"]
    changed = stores.audit.page(AuditFilter(action="user.changed")).items
    assert [r.detail for r in changed] == [
        {"groups": {"from": ["engineering"], "to": ["cloud-ops", "engineering"]}}
    ]


def test_service_accounts_have_names(stores: Stores) -> None:
    stores.directory.add_user("deploy-bot", ADMIN, kind="service", groups=["ci"])
    issued = stores.directory.create_key("deploy-bot", "pipeline", ADMIN, scopes=["run"])

    user = stores.directory.authenticate(issued.key)

    assert user is not None and (user.email, user.kind) == ("deploy-bot", "service")
    assert [u.email for u in stores.directory.list_users(group="ci")] == ["deploy-bot"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.directory.add_user("not-an-email", ADMIN), "is not an email address"),
        (lambda s: s.directory.add_user("a@b.c", ADMIN, groups=["a,b"]), "not a group"),
        (lambda s: s.directory.create_key("a@b.c", "k", ADMIN, scopes=["root"]), "choose from"),
        (lambda s: s.directory.create_key("nobody@b.c", "k", ADMIN), "does not exist"),
        (lambda s: s.directory.revoke_key("key_nope", ADMIN), "does not exist"),
    ],
)
def test_bad_requests_name_the_fix(stores: Stores, call: object, message: str) -> None:
    with pytest.raises((Invalid, NotFound), match=message):
        call(stores)  # type: ignore[operator]


def test_sso_sign_in_creates_then_updates_the_user(stores: Stores) -> None:
    first = stores.directory.sign_in(
        SignIn("Hedy@Example.com", "Hedy Lamarr", ["engineering"]), PROXY, "foyer-admins"
    )
    again = stores.directory.sign_in(
        SignIn("hedy@example.com", "Hedy Lamarr", ["engineering"]), PROXY, "foyer-admins"
    )
    promoted = stores.directory.sign_in(
        SignIn("hedy@example.com", "", ["engineering", "foyer-admins"]), PROXY, "foyer-admins"
    )

    assert (first.email, first.groups, first.scopes) == (
        "hedy@example.com", ["engineering"], ["run", "approve"]
    )  # fmt: skip
    assert again == first
    assert promoted.scopes == ["run", "approve", "admin"]
    assert promoted.name == "Hedy Lamarr"
    assert actions(stores) == [
        ("hedy@example.com", "user.created", "hedy@example.com"),
        ("hedy@example.com", "session.started", "hedy@example.com"),
        ("hedy@example.com", "user.changed", "hedy@example.com"),
    ]
    assert stores.directory.get_user("hedy@example.com").source == "proxy"


def test_a_newer_oidc_token_starts_a_new_session(stores: Stores) -> None:
    issued = datetime.now(UTC) - timedelta(minutes=5)
    sign_in = SignIn("hedy@example.com", "Hedy", None, "oidc", issued)
    stores.directory.sign_in(sign_in, PROXY)
    stores.directory.sign_in(sign_in, PROXY)
    stores.directory.sign_in(
        SignIn("hedy@example.com", "Hedy", None, "oidc", datetime.now(UTC) + timedelta(seconds=1)),
        PROXY,
    )

    sessions = stores.audit.page(AuditFilter(action="session.started")).items
    assert [r.detail for r in sessions] == [{"by": "oidc"}, {"by": "oidc"}]
