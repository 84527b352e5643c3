"""Users, groups, service accounts and API keys, in the gateway's database.

Every check reads the database, so a revoked or expired key is refused on the
very next request, by every gateway. The methods are blocking: the gateway
calls them from synchronous dependencies and routes, which FastAPI runs in its
thread pool.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from foyer.db.audit import Actor, AuditLog
from foyer.db.engine import Database
from foyer.db.models import ApiKeyRow, MembershipRow, UserRow
from foyer.errors import Conflict, Invalid, NotFound, Unauthenticated
from foyer.identities import (
    SCOPES,
    Scope,
    User,
    UserKind,
    hash_key,
    key_hint,
    looks_like_api_key,
    new_api_key,
    normalise_subject,
)

LAST_USED_PRECISION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per key, so reads stay reads."""
REFUSAL_AUDIT_INTERVAL = timedelta(minutes=1)
"""A revoked or expired key's refused uses are audited at most this often per key."""
SSO_SESSION = timedelta(hours=12)
"""With proxy headers there is no token: a new ``session.started`` after this long."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_SERVICE_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,319}$")
_GROUP = re.compile(r"^[^,\x00-\x1f\x7f]{1,200}$")
"""Anything an identity provider may call a group, except commas (the header's separator)."""

SignInSource = Literal["proxy", "oidc"]


class UserInfo(BaseModel):
    """A user as the admin API and ``foyer users list`` show it."""

    email: str
    name: str
    kind: UserKind
    source: str
    groups: list[str]
    created_at: datetime
    updated_at: datetime
    last_sign_in_at: datetime | None = None

    @classmethod
    def of(cls, row: UserRow) -> UserInfo:
        return cls(
            email=row.email,
            name=row.name,
            kind=row.kind,  # type: ignore[arg-type]
            source=row.source,
            groups=row.groups,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_sign_in_at=row.last_sign_in_at,
        )


class KeyInfo(BaseModel):
    """An API key without its secret."""

    id: str
    user: str
    name: str
    hint: str
    scopes: list[Scope]
    status: Literal["active", "expired", "revoked"]
    created_at: datetime
    created_by: str
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @classmethod
    def of(cls, row: ApiKeyRow, now: datetime) -> KeyInfo:
        return cls(
            id=row.id,
            user=row.user.email,
            name=row.name,
            hint=row.hint,
            scopes=_scopes(row.scopes),
            status=_key_status(row, now),
            created_at=row.created_at,
            created_by=row.created_by,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
            revoked_by=row.revoked_by,
        )


class IssuedKey(KeyInfo):
    """A key just created: the only time its secret is shown."""

    key: str


@dataclass(frozen=True)
class SignIn:
    """What an identity provider asserted about a user.

    Attributes:
        groups: The user's groups; ``None`` when the provider sent none, which
            keeps the groups Foyer has.
        issued_at: When the provider authenticated the user (an OIDC token's
            ``iat``); a newer one starts a new session.
    """

    email: str
    name: str = ""
    groups: list[str] | None = None
    source: SignInSource = "proxy"
    issued_at: datetime | None = None


def _key_status(row: ApiKeyRow, now: datetime) -> Literal["active", "expired", "revoked"]:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def check_subject(email: str, kind: UserKind) -> str:
    subject = normalise_subject(email)
    pattern = _EMAIL if kind == "user" else _SERVICE_NAME
    if len(subject) > 320 or not pattern.match(subject):
        what = "an email address" if kind == "user" else "a name of a-z, 0-9 and ._@-"
        raise Invalid([("email", f"`{email}` is not {what}")])
    return subject


def check_groups(groups: Iterable[str]) -> list[str]:
    cleaned = sorted({group.strip() for group in groups if group.strip()})
    bad = [group for group in cleaned if not _GROUP.match(group)]
    if bad:
        raise Invalid(
            [("groups", f"`{bad[0]}` is not a group name: at most 200 characters, no commas")]
        )
    return cleaned


def check_scopes(scopes: Iterable[str]) -> list[Scope]:
    chosen = list(dict.fromkeys(scopes))
    unknown = [scope for scope in chosen if scope not in SCOPES]
    if unknown or not chosen:
        raise Invalid(
            [("scopes", f"`{', '.join(unknown) or 'none'}`: choose from {', '.join(SCOPES)}")]
        )
    return [scope for scope in SCOPES if scope in chosen]


class Directory:
    """Looks callers up and manages who exists; every change is audited in its transaction."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    # -- authentication --------------------------------------------------------

    def verify_key(self, api_key: str, client: str = "", source: str = "") -> User:
        """The user an API key authenticates, with the key's scopes.

        Raises:
            Unauthenticated: Unknown, malformed, revoked or expired key; the
                message says which, and a refused use of a known key is audited.
        """
        if not looks_like_api_key(api_key):
            raise Unauthenticated("This API key is not valid", "Authorization")
        now = datetime.now(UTC)
        with self._db.read() as session:
            row = _key_by_digest(session, hash_key(api_key))
            if row is None:
                raise Unauthenticated("This API key is not valid", "Authorization")
            status = _key_status(row, now)
            stale = row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION
            user = _user_of(row.user, row)
        if status != "active":
            self._refused(row.id, status, Actor(user.email, client, source), now)
            when = row.revoked_at if status == "revoked" else row.expires_at
            raise Unauthenticated(
                f"This API key was {status} on {when:%Y-%m-%d %H:%M} UTC; "
                "ask an admin for a new one",
                "Authorization",
            )
        if stale:
            with self._db.write() as session:
                fresh = session.get(ApiKeyRow, row.id)
                if fresh is not None:
                    fresh.last_used_at = now
        return user

    def authenticate(self, api_key: str) -> User | None:
        """The user an API key authenticates, or ``None`` for any key that does not."""
        try:
            return self.verify_key(api_key)
        except Unauthenticated:
            return None

    def by_key_digest(self, digest: str) -> User | None:
        """The user of the active key whose SHA-256 digest is ``digest`` (cookie sessions)."""
        now = datetime.now(UTC)
        with self._db.read() as session:
            row = _key_by_digest(session, digest)
            if row is None or _key_status(row, now) != "active":
                return None
            return _user_of(row.user, row)

    def _refused(self, key_id: str, status: str, actor: Actor, now: datetime) -> None:
        with self._db.write() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None or (
                row.refused_at is not None and now - row.refused_at < REFUSAL_AUDIT_INTERVAL
            ):
                return
            row.refused_at = now
            self._audit.append(
                session, actor, "key.refused", key_id, outcome="refused", detail={"reason": status}
            )

    def sign_in(self, assertion: SignIn, actor: Actor, admin_group: str = "") -> User:
        """The user an identity provider vouched for, created or updated to match it.

        The first sight creates the user (``user.created``); changed groups or
        name are saved (``user.changed``); a new session is audited as
        ``session.started``.
        """
        subject = check_subject(assertion.email, "user")
        groups = None if assertion.groups is None else check_groups(assertion.groups)
        now = datetime.now(UTC)
        with self._db.read() as session:
            row = _find_user(session, subject)
            if row is not None and not _sign_in_changes(row, assertion, groups, now):
                return _with_sso_scopes(_user_of(row), admin_group)
        with self._db.write() as session:
            row = _find_user(session, subject)
            actor = Actor(subject, actor.client, actor.source)
            if row is None:
                row = UserRow(
                    email=subject,
                    name=assertion.name,
                    kind="user",
                    source=assertion.source,
                    created_at=now,
                    updated_at=now,
                )
                row.memberships = [MembershipRow(group=g) for g in groups or []]
                session.add(row)
                session.flush()
                self._audit.append(
                    session,
                    actor,
                    "user.created",
                    subject,
                    detail={"name": assertion.name, "groups": groups or [], "by": assertion.source},
                )
            else:
                changes = _apply(row, assertion.name or row.name, groups, now)
                if changes:
                    self._audit.append(
                        session,
                        actor,
                        "user.changed",
                        subject,
                        detail={**changes, "by": assertion.source},
                    )
            if _new_session(row, assertion, now):
                row.last_sign_in_at = max(now, assertion.issued_at or now)
                self._audit.append(
                    session, actor, "session.started", subject, detail={"by": assertion.source}
                )
            return _with_sso_scopes(_user_of(row), admin_group)

    # -- administration --------------------------------------------------------

    def has_users(self) -> bool:
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(UserRow)) != 0

    def list_users(self, group: str | None = None) -> list[UserInfo]:
        query = select(UserRow).order_by(UserRow.email)
        if group:
            query = query.join(MembershipRow).where(MembershipRow.group == group)
        with self._db.read() as session:
            return [UserInfo.of(row) for row in session.scalars(query)]

    def get_user(self, email: str) -> UserInfo:
        with self._db.read() as session:
            return UserInfo.of(_require_user(session, email))

    def add_user(
        self,
        email: str,
        actor: Actor,
        *,
        name: str = "",
        groups: Iterable[str] = (),
        kind: UserKind = "user",
    ) -> UserInfo:
        """Create a user or service account (``user.created``)."""
        subject = check_subject(email, kind)
        cleaned = check_groups(groups)
        now = datetime.now(UTC)
        try:
            with self._db.write() as session:
                row = UserRow(
                    email=subject,
                    name=name.strip(),
                    kind=kind,
                    source="local",
                    created_at=now,
                    updated_at=now,
                )
                row.memberships = [MembershipRow(group=g) for g in cleaned]
                session.add(row)
                session.flush()
                self._audit.append(
                    session,
                    actor,
                    "user.created",
                    subject,
                    detail={"name": row.name, "groups": cleaned, "kind": kind},
                )
                return UserInfo.of(row)
        except IntegrityError as err:
            raise Conflict(
                f"User `{subject}` already exists; change their groups with "
                f"`foyer users set-groups {subject} …`",
                "email",
            ) from err

    def set_groups(self, email: str, groups: Iterable[str], actor: Actor) -> UserInfo:
        """Replace a user's groups (``user.changed`` when they differ)."""
        cleaned = check_groups(groups)
        with self._db.write() as session:
            row = _require_user(session, email)
            changes = _apply(row, row.name, cleaned, datetime.now(UTC))
            if changes:
                self._audit.append(session, actor, "user.changed", row.email, detail=changes)
            return UserInfo.of(row)

    def create_key(
        self,
        email: str,
        name: str,
        actor: Actor,
        *,
        scopes: Iterable[str] = ("run", "approve"),
        expires_at: datetime | None = None,
    ) -> IssuedKey:
        """Issue a key for a user (``key.created``); the secret is in the result only."""
        chosen = check_scopes(scopes)
        name = name.strip()
        if not name or len(name) > 200:
            raise Invalid([("name", "give the key a name of 1 to 200 characters")])
        now = datetime.now(UTC)
        if expires_at is not None and expires_at <= now:
            raise Invalid([("expires_at", "must be in the future")])
        secret = new_api_key()
        with self._db.write() as session:
            user = _require_user(session, email)
            row = ApiKeyRow(
                id="key_" + secrets.token_hex(6),
                user=user,
                name=name,
                digest=hash_key(secret),
                hint=key_hint(secret),
                scopes=chosen,
                created_at=now,
                created_by=actor.subject,
                expires_at=expires_at,
            )
            session.add(row)
            session.flush()
            self._audit.append(
                session,
                actor,
                "key.created",
                row.id,
                detail={
                    "user": user.email,
                    "name": name,
                    "scopes": chosen,
                    "expires_at": expires_at.isoformat() if expires_at else None,
                },
            )
            return IssuedKey(**KeyInfo.of(row, now).model_dump(), key=secret)

    def list_keys(self, email: str | None = None) -> list[KeyInfo]:
        now = datetime.now(UTC)
        query = select(ApiKeyRow).join(UserRow).order_by(UserRow.email, ApiKeyRow.created_at)
        with self._db.read() as session:
            if email:
                query = query.where(ApiKeyRow.user_id == _require_user(session, email).id)
            return [KeyInfo.of(row, now) for row in session.scalars(query)]

    def revoke_key(self, key_id: str, actor: Actor) -> KeyInfo:
        """Revoke a key (``key.revoked``); revoking it again changes nothing."""
        now = datetime.now(UTC)
        with self._db.write() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise NotFound(
                    f"API key `{key_id}` does not exist; `foyer keys list` shows them", "id"
                )
            if row.revoked_at is None:
                row.revoked_at, row.revoked_by = now, actor.subject
                self._audit.append(
                    session,
                    actor,
                    "key.revoked",
                    row.id,
                    detail={"user": row.user.email, "name": row.name},
                )
            return KeyInfo.of(row, now)


def _find_user(session: Session, email: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.email == normalise_subject(email))).first()


def _require_user(session: Session, email: str) -> UserRow:
    row = _find_user(session, email)
    if row is None:
        raise NotFound(
            f"User `{normalise_subject(email)}` does not exist; add them with `foyer users add`",
            "user",
        )
    return row


def _key_by_digest(session: Session, digest: str) -> ApiKeyRow | None:
    """The key with this digest, its user and their groups, in one statement: every request
    that carries a key asks for it."""
    query = (
        select(ApiKeyRow)
        .options(joinedload(ApiKeyRow.user).joinedload(UserRow.memberships))
        .where(ApiKeyRow.digest == digest)
    )
    return session.scalars(query).unique().first()


def _user_of(row: UserRow, key: ApiKeyRow | None = None) -> User:
    return User(
        email=row.email,
        name=row.name,
        groups=row.groups,
        kind=row.kind,  # type: ignore[arg-type]
        scopes=_scopes(key.scopes) if key is not None else list(SCOPES),
        key_id=key.id if key is not None else None,
    )


def _scopes(stored: list[str]) -> list[Scope]:
    return [scope for scope in SCOPES if scope in stored]


def _with_sso_scopes(user: User, admin_group: str) -> User:
    scopes: list[Scope] = ["run", "approve"]
    if admin_group and admin_group in user.groups:
        scopes.append("admin")
    return user.model_copy(update={"scopes": scopes})


def _apply(
    row: UserRow, name: str, groups: list[str] | None, now: datetime
) -> dict[str, dict[str, object]]:
    """Bring a user up to date; return what changed as ``{field: {from, to}}``."""
    changes: dict[str, dict[str, object]] = {}
    if name != row.name:
        changes["name"] = {"from": row.name, "to": name}
        row.name = name
    if groups is not None and groups != row.groups:
        changes["groups"] = {"from": row.groups, "to": groups}
        row.memberships = [MembershipRow(group=g) for g in groups]
    if changes:
        row.updated_at = now
    return changes


def _new_session(row: UserRow, assertion: SignIn, now: datetime) -> bool:
    last = row.last_sign_in_at
    if last is None:
        return True
    if assertion.issued_at is not None:
        return assertion.issued_at > last
    return now - last >= SSO_SESSION


def _sign_in_changes(
    row: UserRow, assertion: SignIn, groups: list[str] | None, now: datetime
) -> bool:
    name_changed = bool(assertion.name) and assertion.name != row.name
    groups_changed = groups is not None and groups != row.groups
    return name_changed or groups_changed or _new_session(row, assertion, now)
