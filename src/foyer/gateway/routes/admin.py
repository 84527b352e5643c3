"""``/api/admin``: users, service accounts, groups and API keys (scope ``admin``).

Every change is audited with the admin as actor, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from foyer.db import IssuedKey, KeyInfo, UserInfo
from foyer.gateway.deps import AdminUser, CurrentActor, State
from foyer.identities import Scope, UserKind

router = APIRouter(prefix="/admin", tags=["admin"])

DEFAULT_SCOPES: tuple[Scope, ...] = ("run", "approve")


class UserList(BaseModel):
    items: list[UserInfo]


class KeyList(BaseModel):
    items: list[KeyInfo]


class UserCreate(BaseModel):
    """Body of ``POST /api/admin/users``."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, description="Email address; a name for a service.")
    name: str = Field(default="", max_length=400)
    groups: list[str] = Field(default_factory=list, max_length=100)
    kind: UserKind = "user"


class GroupsUpdate(BaseModel):
    """Body of ``PUT /api/admin/users/{email}/groups``: every group the user is in."""

    model_config = ConfigDict(extra="forbid")

    groups: list[str] = Field(max_length=100)


class KeyCreate(BaseModel):
    """Body of ``POST /api/admin/keys``."""

    model_config = ConfigDict(extra="forbid")

    user: str = Field(max_length=320, description="The owner's email address.")
    name: str = Field(max_length=200, description="What the key is for.")
    scopes: list[Scope] = Field(default_factory=lambda: list(DEFAULT_SCOPES))
    expires_at: datetime | None = Field(default=None, description="ISO 8601; never if omitted.")


@router.get("/users", operation_id="adminListUsers")
def list_users(
    state: State, admin: AdminUser, group: Annotated[str | None, Query(max_length=200)] = None
) -> UserList:
    """Every user and service account, with their groups."""
    return UserList(items=state.stores.directory.list_users(group))


@router.post("/users", status_code=status.HTTP_201_CREATED, operation_id="adminAddUser")
def add_user(state: State, admin: AdminUser, actor: CurrentActor, body: UserCreate) -> UserInfo:
    """Add a user or a service account (audited as `user.created`)."""
    return state.stores.directory.add_user(
        body.email, actor, name=body.name, groups=body.groups, kind=body.kind
    )


@router.get("/users/{email}", operation_id="adminGetUser")
def get_user(state: State, admin: AdminUser, email: str) -> UserInfo:
    return state.stores.directory.get_user(email)


@router.put("/users/{email}/groups", operation_id="adminSetGroups")
def set_groups(
    state: State, admin: AdminUser, actor: CurrentActor, email: str, body: GroupsUpdate
) -> UserInfo:
    """Replace a user's groups (audited as `user.changed`)."""
    return state.stores.directory.set_groups(email, body.groups, actor)


@router.get("/keys", operation_id="adminListKeys")
def list_keys(
    state: State, admin: AdminUser, user: Annotated[str | None, Query(max_length=320)] = None
) -> KeyList:
    """Keys with owner, scopes, status, expiry and last use; never the secrets."""
    return KeyList(items=state.stores.directory.list_keys(user))


@router.post("/keys", status_code=status.HTTP_201_CREATED, operation_id="adminCreateKey")
def create_key(state: State, admin: AdminUser, actor: CurrentActor, body: KeyCreate) -> IssuedKey:
    """Issue a key; its secret (`key`) is in this answer only (audited as `key.created`)."""
    return state.stores.directory.create_key(
        body.user, body.name, actor, scopes=body.scopes, expires_at=body.expires_at
    )


@router.delete("/keys/{key_id}", operation_id="adminRevokeKey")
def revoke_key(state: State, admin: AdminUser, actor: CurrentActor, key_id: str) -> KeyInfo:
    """Revoke a key: every gateway refuses it from the next request on (`key.revoked`)."""
    return state.stores.directory.revoke_key(key_id, actor)
