"""Portal sessions: an API key exchanged for a signed, HttpOnly cookie.

The cookie carries the subject, the digest of the API key it was opened with
and an expiry, signed with HMAC-SHA256 under a key derived from the gateway
secret. It holds nothing secret (the digest of a long random key cannot be
turned back into the key), but nobody without the secret can make one. Every
request looks the digest up again, so revoking the key ends its sessions.

Browsers attach cookies to cross-site requests, so a cookie alone must not be
enough to change anything: writes authenticated by the cookie also need the
``X-Foyer-CSRF`` header, which a page of another origin cannot send without a
CORS preflight the gateway never grants (and ``SameSite=Strict`` already keeps
the cookie off cross-site requests in current browsers).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fastapi import Request, Response

from foyer.errors import Forbidden, Unauthenticated, Unavailable
from foyer.identities import User
from foyer.settings import Settings
from foyer.signing import SignatureError, load_secret

COOKIE_NAME = "foyer_session"
CSRF_HEADER = "X-Foyer-CSRF"
CSRF_VALUE = "1"
SESSION_TTL_SECONDS = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_VERSION = "v1"
_PURPOSE = b"foyer portal session v1"


class KeyDigestLookup(Protocol):
    """Where sessions look their key up again on every request."""

    def by_key_digest(self, digest: str) -> User | None:
        """The user whose valid API key has this SHA-256 digest, or None if revoked."""


@dataclass(frozen=True)
class Session:
    """What a valid session cookie asserts."""

    subject: str
    key_digest: str
    expires_at: int


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCodec:
    """Makes and reads session cookie values.

    Args:
        secret: The gateway secret; the signing key is derived from it, so a
            cookie's signature is never valid as anything else the secret signs.
        ttl_seconds: How long a session lasts from sign-in.
        clock: Seconds since the epoch; tests replace it.
    """

    def __init__(
        self,
        secret: bytes,
        ttl_seconds: int = SESSION_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = hmac.new(secret, _PURPOSE, hashlib.sha256).digest()
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def _sign(self, body: str) -> str:
        return _b64encode(hmac.new(self._key, body.encode(), hashlib.sha256).digest())

    def issue(self, subject: str, key_digest: str) -> str:
        """A cookie value for ``subject``, signed in with the key of digest ``key_digest``."""
        claims = {"sub": subject, "kd": key_digest, "exp": int(self._clock()) + self.ttl_seconds}
        body = _VERSION + "." + _b64encode(json.dumps(claims, separators=(",", ":")).encode())
        return body + "." + self._sign(body)

    def read(self, value: str) -> Session | None:
        """The session a cookie value asserts, or None if it is malformed, forged or expired."""
        version, _, rest = value.partition(".")
        payload, _, signature = rest.partition(".")
        if version != _VERSION or not payload or not signature:
            return None
        if not hmac.compare_digest(self._sign(f"{version}.{payload}"), signature):
            return None
        try:
            claims = json.loads(_b64decode(payload))
            session = Session(str(claims["sub"]), str(claims["kd"]), int(claims["exp"]))
        except (binascii.Error, ValueError, KeyError, TypeError):
            return None
        if session.expires_at <= self._clock():
            return None
        return session


def session_codec(request: Request) -> SessionCodec:
    """The app's codec, built on first use so the API works without the secret until then."""
    codec: SessionCodec | None = getattr(request.app.state, "session_codec", None)
    if codec is None:
        settings: Settings = request.app.state.gateway.settings
        try:
            codec = SessionCodec(load_secret(settings.secret_key_file))
        except SignatureError as err:
            raise Unavailable(f"Sessions are unavailable: {err}") from err
        request.app.state.session_codec = codec
    return codec


def session_user(request: Request, users: KeyDigestLookup, value: str) -> User:
    """The user a session cookie stands for, checked against the directory now.

    Raises:
        Unauthenticated: The cookie is invalid or expired, or its key was revoked.
        Forbidden: The request writes without the CSRF header.
    """
    session = session_codec(request).read(value)
    user = users.by_key_digest(session.key_digest) if session else None
    if session is None or user is None or user.email.lower() != session.subject.lower():
        raise Unauthenticated("Your session has ended; sign in again", "session")
    require_csrf_header(request)
    return user


def require_csrf_header(request: Request) -> None:
    """Refuse a cookie-authenticated write that lacks the CSRF header."""
    if request.method not in SAFE_METHODS and request.headers.get(CSRF_HEADER) != CSRF_VALUE:
        raise Forbidden(
            f"Send the header `{CSRF_HEADER}: {CSRF_VALUE}` with writes made with a session "
            "cookie, or authenticate with `Authorization: Bearer <key>`",
            CSRF_HEADER,
        )


def _secure(request: Request) -> bool:
    settings: Settings = request.app.state.gateway.settings
    return request.url.scheme == "https" or settings.gateway_url.startswith("https://")


def set_session_cookie(request: Request, response: Response, value: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
