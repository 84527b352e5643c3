"""Who may call the gateway: users, their groups, and the format of API keys.

Users, groups, service accounts and keys live in the gateway's database
(``foyer.db.identities``); this module holds what every layer shares.

An API key is ``foyer_`` followed by 30 random base62 characters and a
6-character base62 CRC32 of them, like GitHub's tokens: a secret scanner can
recognise a leaked key by its prefix and confirm it by its checksum without
asking Foyer. Keys are long random tokens, so a plain SHA-256 digest is the
right store for them: a slow password hash would buy nothing against guessing
and would cost every request.
"""

from __future__ import annotations

import hashlib
import secrets
import zlib
from typing import Literal

from pydantic import BaseModel, Field

from foyer.contracts import Identity
from foyer.errors import Forbidden

KEY_PREFIX = "foyer_"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_RANDOM_LENGTH = 30
_CHECKSUM_LENGTH = 6

Scope = Literal["run", "approve", "admin"]
SCOPES: tuple[Scope, ...] = ("run", "approve", "admin")
"""``run``: submit and cancel one's runs; ``approve``: decide and cancel as an
approver; ``admin``: the admin API and the audit log. Reading needs any scope."""

UserKind = Literal["user", "service"]


class User(BaseModel):
    """An authenticated caller: who they are and what this authentication allows.

    Attributes:
        email: The subject: an email address for people, a name for service accounts.
        scopes: What the credential used allows (a key's scopes; SSO sign-ins
            get ``run`` and ``approve``, and ``admin`` for the admin group).
        key_id: The API key that authenticated the request, if one did.
    """

    email: str
    name: str = ""
    groups: list[str] = Field(default_factory=list)
    kind: UserKind = "user"
    scopes: list[Scope] = Field(default_factory=lambda: list(SCOPES))
    key_id: str | None = None

    def identity(self) -> Identity:
        return Identity(subject=self.email, name=self.name, groups=self.groups)

    def has_scope(self, scope: Scope) -> bool:
        return scope in self.scopes

    def require_scope(self, scope: Scope) -> None:
        """Raise :class:`Forbidden` unless the credential carries ``scope``."""
        if scope not in self.scopes:
            raise Forbidden(
                f"This API key lacks the `{scope}` scope; create one with "
                f"`foyer keys create --scope {scope}`",
                "Authorization",
            )


def _base62(number: int, length: int) -> str:
    digits = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode()), _CHECKSUM_LENGTH)


def new_api_key() -> str:
    """A fresh key: prefix, 30 random base62 characters (178 bits), checksum."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))
    return KEY_PREFIX + body + _checksum(body)


def looks_like_api_key(candidate: str) -> bool:
    """Whether ``candidate`` has the shape and checksum of a Foyer API key."""
    if not candidate.startswith(KEY_PREFIX):
        return False
    rest = candidate[len(KEY_PREFIX) :]
    if len(rest) != _RANDOM_LENGTH + _CHECKSUM_LENGTH or any(c not in _ALPHABET for c in rest):
        return False
    body, checksum = rest[:_RANDOM_LENGTH], rest[_RANDOM_LENGTH:]
    return secrets.compare_digest(_checksum(body), checksum)


def hash_key(api_key: str) -> str:
    """The SHA-256 digest a key is stored and looked up by (hex)."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def key_hint(api_key: str) -> str:
    """The first characters of a key, shown in listings so people can tell keys apart."""
    return api_key[: len(KEY_PREFIX) + 4] + "…"


def normalise_subject(subject: str) -> str:
    """Subjects compare case-insensitively: store and look them up lowercased."""
    return subject.strip().lower()
