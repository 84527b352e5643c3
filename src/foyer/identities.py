"""Who may call the gateway: users, their groups and their hashed API keys.

For now identities come from a YAML file. API keys are long random tokens, so
a plain SHA-256 digest is the right store for them (as for GitHub tokens): a
slow password hash would buy nothing against guessing and would cost every
request.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from foyer.contracts import Identity

KEY_PREFIX = "foyer_"


class UsersFileError(Exception):
    """The users file cannot be read; the message names the file and the problem."""


class User(BaseModel):
    """One identity and the digests of the API keys that authenticate it."""

    email: str
    name: str = ""
    groups: list[str] = Field(default_factory=list)
    key_hashes: list[str] = Field(default_factory=list)

    def identity(self) -> Identity:
        return Identity(subject=self.email, name=self.name, groups=self.groups)


class UsersFile(BaseModel):
    users: list[User] = Field(default_factory=list)


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


class UserDirectory:
    """Looks users up by API key."""

    def __init__(self, users: list[User]) -> None:
        self._by_hash = {digest: user for user in users for digest in user.key_hashes}

    def authenticate(self, api_key: str) -> User | None:
        return self._by_hash.get(hash_key(api_key))

    def by_key_digest(self, digest: str) -> User | None:
        """The user whose API key has this digest (see :func:`hash_key`), while it is valid.

        Sessions hold the digest of the key they were opened with and look it
        up on every request, so revoking a key ends its sessions.
        """
        return self._by_hash.get(digest)

    @classmethod
    def load(cls, path: Path) -> UserDirectory:
        try:
            raw = yaml.safe_load(path.read_text()) or {}
            return cls(UsersFile.model_validate(raw).users)
        except FileNotFoundError as err:
            raise UsersFileError(f"users file {path} does not exist") from err
        except (yaml.YAMLError, ValidationError) as err:
            raise UsersFileError(f"users file {path} is invalid: {err}") from err


def write_users(path: Path, users: list[User]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = UsersFile(users=users).model_dump(mode="json")
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    path.chmod(0o600)
