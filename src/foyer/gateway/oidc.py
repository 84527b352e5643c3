"""OpenID Connect bearer tokens: JWTs verified against the issuer's published keys.

The issuer's keys come from its JWKS (``oidc_jwks_url``, or the ``jwks_uri`` of
its discovery document), cached and fetched again when a token names a key
the cache does not hold, so the issuer can rotate keys.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import httpx
import jwt

from foyer.db import SignIn
from foyer.errors import Unauthenticated, Unavailable
from foyer.settings import Settings

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
LEEWAY_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 5


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("ey")


class OidcVerifier:
    """Checks signature, issuer, audience and lifetime; reads email, name and groups."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.audience = settings.oidc_audience
        self._jwks_url = settings.oidc_jwks_url
        self._email_claim = settings.oidc_email_claim
        self._name_claim = settings.oidc_name_claim
        self._groups_claim = settings.oidc_groups_claim
        self._keys: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def verify(self, token: str) -> SignIn:
        """The sign-in a valid token asserts.

        Raises:
            Unauthenticated: The token is not valid, says which check failed.
            Unavailable: The issuer's keys could not be fetched.
        """
        try:
            key = self._key_client().get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as err:
            raise Unavailable(
                f"The identity provider's keys could not be fetched: {err}", retry_after=5
            ) from err
        except jwt.PyJWTError as err:
            raise Unauthenticated(f"The OIDC token is not valid: {err}", "Authorization") from err
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience or None,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss"], "verify_aud": bool(self.audience)},
            )
        except jwt.PyJWTError as err:
            raise Unauthenticated(f"The OIDC token is not valid: {err}", "Authorization") from err
        email = claims.get(self._email_claim)
        if not isinstance(email, str) or not email:
            raise Unauthenticated(
                f"The OIDC token has no `{self._email_claim}` claim", "Authorization"
            )
        if claims.get("email_verified") is False:
            raise Unauthenticated("The OIDC token's email is not verified", "Authorization")
        name = claims.get(self._name_claim)
        return SignIn(
            email=email,
            name=name if isinstance(name, str) else "",
            groups=_groups(claims.get(self._groups_claim)),
            source="oidc",
            issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
        )

    def _key_client(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._keys is None:
                url = self._jwks_url or self._discover()
                self._keys = jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)
            return self._keys

    def _discover(self) -> str:
        url = f"{self.issuer}/.well-known/openid-configuration"
        try:
            response = httpx.get(url, timeout=FETCH_TIMEOUT_SECONDS)
            response.raise_for_status()
            jwks_uri = response.json()["jwks_uri"]
        except (httpx.HTTPError, ValueError, KeyError) as err:
            raise Unavailable(
                f"The identity provider's discovery document {url} could not be read: {err}",
                retry_after=5,
            ) from err
        return str(jwks_uri)


def _groups(claim: object) -> list[str] | None:
    """Groups as providers send them: a list, or one space- or comma-separated string."""
    if claim is None:
        return None
    if isinstance(claim, str):
        return [group for group in claim.replace(",", " ").split() if group]
    if isinstance(claim, list):
        return [group for group in claim if isinstance(group, str) and group]
    return None
